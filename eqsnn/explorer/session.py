"""The simulation side of the explorer: one model, its sliders, and runs with new values.

Parameters are data (docs/internals.md): a network of the same equations with other
constants, sizes or initial values loads the module compiled the first time, so every
slider move builds a small network afresh from the same strings and runs it — no
SymPy (the derivation is cached), no compiler (``eqsnn.compiler.stats`` counts it).

One run simulates ``1 + fi_points`` neurons together: neuron 0 at the input of the
slider (its trace is drawn), the others on a grid of inputs spanning the input slider,
for the f–I curve the trace's firing rate sits on.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError

__all__ = ["Session", "Slider", "Result", "ModelSpec"]

_MV = units.ureg.mV
_MS = units.ureg.ms


@dataclass(frozen=True)
class ModelSpec:
    """The strings and values a group of the model is built from."""

    name: str
    equations: str
    threshold: str | None
    reset: str | None
    refractory: Any
    method: str | None
    namespace: Mapping[str, Any]
    initial: Mapping[str, Any]          # per variable, a quantity (or float)
    input: str | None
    stimulus: Any
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass
class Slider:
    """One slider: a parameter (or the input) shown in ``unit``, over ``[low, high]``."""

    name: str
    kind: str                 # "parameter" (namespace), "per-neuron" or "input"
    unit: Any                 # pint unit the slider shows, or None (dimensionless)
    value: float
    low: float
    high: float

    @property
    def step(self) -> float:
        return float(_nice((self.high - self.low) / 200)) or 1e-3

    @property
    def label(self) -> str:
        unit = f" ({self.unit:~P})" if self.unit is not None else ""
        return f"{self.name}{unit}"

    def quantity(self, value: float | None = None):
        value = self.value if value is None else value
        return value * self.unit if self.unit is not None else value


@dataclass
class Result:
    """One run: the trace of neuron 0, its spikes and rate, and the f–I curve."""

    t: np.ndarray                         # ms
    traces: dict[str, np.ndarray]         # SI values of neuron 0, per state variable
    spikes: np.ndarray                    # ms, neuron 0
    rate: float                           # Hz, neuron 0
    input: float                          # the input value (slider units)
    fi_inputs: np.ndarray                 # slider units
    fi_rates: np.ndarray                  # Hz
    seconds: float                        # wall time of the run (build + simulate)


class Session:
    """Runs of one model for the explorer (no widgets: testable anywhere)."""

    def __init__(self, target: Any, *, duration=500 * _MS, dt=0.05 * _MS,
                 parameters: list[str] | None = None, fi_points: int = 12,
                 backend: str | None = None):
        self.spec = model_spec(target)
        self.duration, self.dt, self.backend = duration, dt, backend
        self.fi_points = int(fi_points)
        self.sliders = _sliders(self.spec, parameters)
        self.states = _differential(self.spec.equations)

    # --- values ----------------------------------------------------------------------
    def set(self, **values: float) -> None:
        """Set slider values (in the sliders' units)."""
        for name, value in values.items():
            if name not in self.sliders:
                raise InvalidValueError(f"the explorer has no slider {name!r}",
                                        hint=f"its sliders are {', '.join(self.sliders)}")
            self.sliders[name].value = float(value)

    def namespace(self) -> dict[str, Any]:
        values = dict(self.spec.namespace)
        values.update({s.name: s.quantity() for s in self.sliders.values()
                       if s.kind == "parameter"})
        return values

    def constants_si(self) -> dict[str, float]:
        """Every slider and namespace value in SI, for the phase-plane analysis."""
        values = {name: float(units.to_si(v)[0]) for name, v in self.namespace().items()
                  if _is_number(v)}
        for slider in self.sliders.values():
            values[slider.name] = float(units.to_si(slider.quantity())[0])
        for name, value in self.spec.initial.items():
            if name not in values and name not in self.states and _is_number(value):
                values[name] = float(units.to_si(value)[0])
        return values

    # --- running ---------------------------------------------------------------------
    def run(self) -> Result:
        """Simulate with the current slider values (the compiled module is reused)."""
        import eqsnn as es
        started = time.perf_counter()
        spec = self.spec
        fi = self._fi_inputs()
        n = 1 + fi.size
        group = es.NeuronGroup(n, spec.equations, threshold=spec.threshold, reset=spec.reset,
                               refractory=spec.refractory, method=spec.method,
                               namespace=self.namespace(), name="explored")
        for name, value in spec.initial.items():
            setattr(group, name, value)
        for slider in self.sliders.values():
            if slider.kind == "per-neuron":
                setattr(group, slider.name, slider.quantity())
        if spec.input is not None:
            own = self.sliders[spec.input]
            values = np.concatenate([[own.value], fi])
            setattr(group, spec.input, values * own.unit if own.unit is not None else values)
        trace = es.StateMonitor(group, self.states, record=[0])
        spikes = es.SpikeMonitor(group)
        es.Network(group, trace, spikes, dt=self.dt, backend=self.backend).run(self.duration)
        seconds = float(units.to_si(self.duration)[0])
        counts = np.bincount(spikes.i, minlength=n)
        own_spikes = spikes.t_[spikes.i == 0] * 1e3
        return Result(
            t=trace.t_ * 1e3, traces={v: getattr(trace, f"{v}_")[0] for v in self.states},
            spikes=own_spikes, rate=counts[0] / seconds,
            input=self.sliders[spec.input].value if spec.input else 0.0,
            fi_inputs=fi, fi_rates=counts[1:] / seconds,
            seconds=time.perf_counter() - started)

    def _fi_inputs(self) -> np.ndarray:
        if self.spec.input is None or self.fi_points < 2:
            return np.zeros(0)
        slider = self.sliders[self.spec.input]
        return np.linspace(slider.low, slider.high, self.fi_points)


# --- what is explored ---------------------------------------------------------------------
def model_spec(target: Any) -> ModelSpec:
    """A :class:`ModelSpec` from a built-in or custom :class:`~eqsnn.models.Model`, or
    from a :class:`~eqsnn.NeuronGroup` (its strings, constants and neuron 0's values)."""
    if hasattr(target, "initialise") and hasattr(target, "equations"):
        return _spec_from_model(target)
    if type(target).__name__ == "NeuronGroup":
        return _spec_from_group(target)
    raise InvalidValueError(
        f"explore() needs a model (eqsnn.models.Model) or a NeuronGroup, not "
        f"{type(target).__name__}", hint="e.g. es.explore(eqsnn.models.AdEx('bursting'))")


def _spec_from_model(model) -> ModelSpec:
    probe = model.group(1)  # the model's own initial values (its resting state)
    states = _differential(model.equations)
    initial = {name: _first(getattr(probe, name)) for name in states}
    for name in model.parameter_names:
        if name != model.input:
            initial[name] = _first(getattr(probe, name))
    stimulus = model.stimulus
    if stimulus is None:
        from eqsnn.models.docs import FIGURE_CURRENTS
        stimulus = FIGURE_CURRENTS.get(model.name, FIGURE_CURRENTS.get(model.family))
    return ModelSpec(model.name, model.equations, model.threshold, model.reset,
                     model.refractory, model.method, dict(model.namespace), initial,
                     model.input if model.input in model.parameter_names else None,
                     stimulus, {k: dict(v) for k, v in model.presets.items()})


def _spec_from_group(group) -> ModelSpec:
    equations = group.model if isinstance(group.model, str) else group.model.source
    threshold = None if group.threshold is None else str(group.threshold)
    reset = "; ".join(f"{a.lhs} = {a.rhs}" for a in group.reset) or None
    namespace = {name: units.from_si(c.value, c.dim)
                 for name, c in group.resolved_namespace.items()
                 if hasattr(c, "dim") and name not in units.UNIT_NAMES}  # mV: a unit
    parsed = group.equations
    initial = {name: _first(getattr(group, name))
               for name in (*parsed.differential, *parsed.parameters)}
    input_ = "I" if "I" in parsed.parameters else None
    stimulus = initial.pop(input_) if input_ else None
    if stimulus is not None and float(np.abs(units.to_si(stimulus)[0])) == 0.0:
        stimulus = None
    return ModelSpec(group.name, equations, threshold, reset, group.refractory,
                     group.method, namespace, initial, input_, stimulus)


def _differential(equations: str) -> list[str]:
    from eqsnn.equations import parse_equations
    return list(parse_equations(equations).differential)


def _first(values):
    """Neuron 0's value, as a quantity (or float)."""
    if hasattr(values, "magnitude"):
        return values[0]
    return float(np.asarray(values).ravel()[0])


# --- sliders and their ranges -------------------------------------------------------------
def _sliders(spec: ModelSpec, names: list[str] | None) -> dict[str, Slider]:
    sliders: dict[str, Slider] = {}
    wanted = set(names) if names is not None else None
    states = set(_differential(spec.equations))
    for name, value in spec.namespace.items():
        if _is_number(value) and (wanted is None or name in wanted):
            sliders[name] = _slider(name, "parameter", value,
                                    [p[name] for p in spec.presets.values() if name in p])
    for name, value in spec.initial.items():
        if name in states or not _is_number(value):
            continue
        if wanted is None or name in wanted:
            sliders[name] = _slider(name, "per-neuron", value, [])
    if spec.input is not None:
        sliders[spec.input] = _input_slider(spec)
    if wanted is not None:
        unknown = wanted - set(sliders) - {spec.input}
        if unknown:
            raise InvalidValueError(
                f"{spec.name!r} has no parameter {', '.join(sorted(unknown))} to explore",
                hint=f"its parameters are {', '.join(sorted(spec.namespace))}")
    return sliders


def _slider(name: str, kind: str, value, presets: list) -> Slider:
    unit = display_unit(value)
    here = _in(value, unit)
    known = [here] + [_in(v, unit) for v in presets if _is_number(v)]
    low, high = min(known), max(known)
    voltage = unit is not None and unit.dimensionality == _MV.dimensionality
    if voltage:                        # potentials move by 20 mV; a slope factor (ΔT)
        # stays positive
        low, high = (max(low - 20.0, low / 4) if low > 0 else low - 20.0), high + 20.0
    elif low > 0:                      # time constants, conductances: a factor each way
        low, high = low / 4, high * 3
    elif low == 0 and high > 0:
        high *= 3
    elif high < 0:
        low, high = low * 3, high / 4
    elif low == high == 0:
        high = 1.0
    else:
        span = max(abs(low), abs(high))
        low, high = min(low, -span), max(high, span)
    return Slider(name, kind, unit, here, float(_nice(low)), float(_nice(high)))


def _input_slider(spec: ModelSpec) -> Slider:
    default = spec.initial.get(spec.input)
    stimulus = spec.stimulus
    unit = display_unit(stimulus if stimulus is not None else default)
    scale = abs(_in(stimulus, unit)) if stimulus is not None else 1.0
    high = float(_nice(3 * scale)) if scale else 1.0
    value = _in(stimulus, unit) if stimulus is not None else 0.0
    return Slider(spec.input, "input", unit, value, 0.0, high)


def display_unit(value):
    """The unit a person reads ``value`` in: mV, ms, else its compact unit; None if it
    is a plain number."""
    if not hasattr(value, "units"):
        return None
    dim = value.units.dimensionality
    if dim == _MV.dimensionality:
        return _MV
    if dim == _MS.dimensionality:
        return _MS
    if value.magnitude == 0 or 0.1 <= abs(value.magnitude) < 1000:
        return value.units  # as the model writes it (uA/cm², pA)
    return value.to_compact().units


def _in(value, unit) -> float:
    if unit is None:
        return float(value)
    return float(value.to(unit).magnitude)


def _is_number(value) -> bool:
    magnitude = getattr(value, "magnitude", value)
    return isinstance(magnitude, (int, float, np.floating, np.integer)) and not isinstance(
        magnitude, bool)


def _nice(x: float) -> float:
    """``x`` rounded to two significant digits (slider ends and steps)."""
    if x == 0:
        return 0.0
    return float(f"{x:.2g}")
