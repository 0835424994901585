"""Draw docs/img/convergence.png: measured order of convergence of each method.

The errors are measured, not drawn from theory: each equation is simulated by eqsnn
itself (NeuronGroup + Network, numpy backend, the same update statements the compiled
backend runs) at a range of time steps, and compared with the exact solution.

* Left: the logistic equation ``dv/dt = v (1 - v)/tau`` (nonlinear; closed form known)
  with euler, rk2, heun and rk4.
* Right: a gate relaxing to a moving target, ``dx/dt = (x_inf(t) - x)/tau_x`` (linear in
  ``x``, as HH's gates are), where exponential_euler applies too; the reference is
  scipy's ``solve_ivp`` at tolerance 1e-12.

Run ``python docs/scripts/convergence.py``; the slopes (fitted log-error per log-dt)
are printed and shown in the legend.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import eqsnn as es
from eqsnn.units import ms

OUT = Path(__file__).resolve().parents[1] / "img" / "convergence.png"
T = 40.0  # ms
STEPS = np.array([0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8])  # ms


def final_value(equations: str, method: str, dt: float, start: float, namespace=None) -> float:
    group = es.NeuronGroup(1, equations, method=method, namespace=namespace or {})
    group.x = start
    es.Network(group, dt=dt * ms, backend="numpy").run(T * ms)
    return float(group.x_[0])


def logistic_error(method: str, dt: float) -> float:
    x0, tau = 0.05, 5.0
    exact = 1 / (1 + (1 / x0 - 1) * np.exp(-T / tau))
    return abs(final_value("dx/dt = x*(1 - x)/(5*ms) : 1", method, dt, x0) - exact)


def gate_reference() -> float:
    from scipy.integrate import solve_ivp
    rhs = lambda t, x: (0.5 + 0.4 * np.sin(2 * np.pi * t / 15.0) - x) / 3.0  # noqa: E731
    return float(solve_ivp(rhs, (0, T), [0.0], rtol=1e-12, atol=1e-14, method="DOP853").y[0, -1])


def gate_error(method: str, dt: float, reference: float) -> float:
    eqs = "dx/dt = (0.5 + 0.4*sin(2*pi*t/(15*ms)) - x)/(3*ms) : 1"
    return abs(final_value(eqs, method, dt, 0.0, {"pi": np.pi}) - reference)


def slope(errors: np.ndarray) -> float:
    usable = errors > 1e-13  # below this the error is rounding, not truncation
    return float(np.polyfit(np.log(STEPS[usable]), np.log(errors[usable]), 1)[0])


def main() -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    reference = gate_reference()
    panels = [(left, "logistic: dx/dt = x(1 - x)/τ", ["euler", "rk2", "heun", "rk4"],
               logistic_error),
              (right, "gate: dx/dt = (x∞(t) - x)/τ", ["euler", "exponential_euler", "rk2", "rk4"],
               lambda m, dt: gate_error(m, dt, reference))]
    for ax, title, methods, error in panels:
        for k, method in enumerate(methods):
            errors = np.array([error(method, dt) for dt in STEPS])
            order = slope(errors)
            print(f"{title.split(':')[0]:<9} {method:<18} slope {order:.2f}")
            ax.loglog(STEPS, errors, "o-", color=f"C{k}", label=f"{method} (slope {order:.2f})")
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel("dt (ms)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize="small")
    left.set_ylabel(f"|error| at t = {T:g} ms")
    figure.suptitle("Measured convergence of eqsnn's integrators (error against time step)")
    figure.tight_layout()
    OUT.parent.mkdir(exist_ok=True)
    figure.savefig(OUT, dpi=100)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
