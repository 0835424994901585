"""Phase planes of FitzHugh–Nagumo and Izhikevich neurons, with nullclines, fixed
points and trajectories.

What: four panels. FitzHugh–Nagumo at I = 0 (one stable fixed point: the neuron is
excitable, a large kick makes one spike) and at I = 0.5 (the fixed point has lost
stability: a limit cycle, repetitive firing). Izhikevich's RS cell at I = 0 (a stable
resting point and a saddle: the threshold) and at I = 10 mV (the two have merged and
vanished: the trajectory runs to the spike peak and is reset, again and again).

Why: the nullclines and fixed points are not traced numerically; eqsnn solves the
model's own equation strings with SymPy (``eqsnn.models.nullclines``,
``eqsnn.models.fixed_points``), and the trajectories are simulated by eqsnn, so the
jumps at reset are exactly what a network of these neurons would do.

Run: ``python examples/phase_planes.py`` (``--short``: shorter trajectories).
"""
import matplotlib.pyplot as plt

from eqsnn import plot
from eqsnn.models import FitzHughNagumo, Izhikevich, fixed_points
from eqsnn.units import mV, ms

from _example import save, short

LONG = 60 * ms if short() else 200 * ms
fhn, izh = FitzHughNagumo(), Izhikevich("RS")
figure, axes = plt.subplots(2, 2, figsize=(11, 9))
starts_fhn = [{"v": -2.0, "w": 0.5}, {"v": 0.0, "w": -0.5}, {"v": -0.5, "w": 1.5}]
plot.phase_plane(fhn, axes[0, 0], I=0.0, trajectories=starts_fhn, duration=LONG)
axes[0, 0].set_title("FitzHugh–Nagumo, I = 0: excitable")
plot.phase_plane(fhn, axes[0, 1], I=0.5, trajectories=starts_fhn[:1], duration=LONG)
axes[0, 1].set_title("FitzHugh–Nagumo, I = 0.5: limit cycle")

view = {"x_range": (-85 * mV, 35 * mV), "y_range": (-20 * mV, 5 * mV)}
starts_izh = [{"v": -58 * mV, "u": -13 * mV}, {"v": -50 * mV, "u": -13 * mV}]
plot.phase_plane(izh, axes[1, 0], I=0 * mV, trajectories=starts_izh, duration=LONG / 2, **view)
axes[1, 0].set_title("Izhikevich RS, I = 0: rest and the saddle (threshold)")
plot.phase_plane(izh, axes[1, 1], I=10 * mV, trajectories=starts_izh[:1], duration=LONG, **view)
axes[1, 1].set_title("Izhikevich RS, I = 10 mV: tonic spiking with resets")
figure.suptitle("Phase planes: vector field, nullclines (red: dv/dt = 0), fixed points, "
                "trajectories (green)")
figure.tight_layout()

numbers = {}
for name, model, inputs in (("fhn", fhn, {"I=0": 0.0, "I=0.5": 0.5}),
                            ("izhikevich", izh, {"I=0": 0 * mV, "I=10mV": 10 * mV})):
    for label, value in inputs.items():
        points = fixed_points(model, I=value)
        numbers[f"{name}_{label}"] = [point.stability for point in points]
        print(f"{name}, {label}: " + ("; ".join(str(p) for p in points) or "no fixed point"))
save(figure, "phase_planes", **numbers)
