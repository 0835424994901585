"""Built-in synapse models: the common postsynaptic kernels, as strings.

A synapse model is what :class:`~eqsnn.Synapses` takes as ``model``: the synaptic
equations, ``on_pre`` / ``on_post`` statements, default constants and initial values.
Print one to read it. The kernels here keep their state per synapse (clock-driven) and
deliver it through a ``(summed)`` variable into a parameter of the target group named by
``target`` (declare it there, e.g. ``I_syn : amp``)::

    cells = es.NeuronGroup(10, "dv/dt = (El - v + R*I_syn)/tau : volt\\nI_syn : amp", ...)
    syn = es.Synapses(inputs, cells, es.models.synapses.DoubleExponential())

Per-synapse kernels cost work for every synapse at every step; for large networks put the
decay in the neuron instead (``dge/dt = -ge/tau_e`` with ``on_pre="ge_post += w"``, as
the CUBA example does), which is the same model when all synapses share ``tau``.
"""
from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.models.values import format_value
from eqsnn.units import mV, ms, nS, pA

__all__ = ["SynapseModel", "VoltageJump", "ExponentialCurrent", "ExponentialConductance",
           "AlphaCurrent", "DoubleExponential", "KERNELS"]


@dataclass(frozen=True, eq=False)
class SynapseModel:
    """A synapse model: synaptic equations, event statements, defaults and presets.

    Parameters
    ----------
    name
        Short name, e.g. ``"PairAdditive"``.
    equations
        Synaptic equations in eqsnn's (Brian2-compatible) syntax.
    on_pre, on_post
        Statements run when a presynaptic spike arrives / the target spikes.
    namespace
        Default values of the constants the strings use, with units.
    initial
        Initial values of synaptic variables (quantity or string such as
        ``"rand()*wmax"``), applied to every synapse when it is created.
    method
        Integration method of the clock-driven equations.
    citation, description, notes
        Where the model comes from; one line saying what it is for; remarks.
    presets
        Named sets of constants (preset name → overrides of ``namespace``).
    """

    name: str
    equations: str
    on_pre: str | None
    on_post: str | None
    namespace: Mapping[str, Any]
    initial: Mapping[str, Any] = field(default_factory=dict)
    method: str | None = None
    citation: str = ""
    description: str = ""
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    preset: str | None = None
    family: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "equations", textwrap.dedent(self.equations).strip("\n"))
        object.__setattr__(self, "namespace", MappingProxyType(dict(self.namespace)))
        object.__setattr__(self, "initial", MappingProxyType(dict(self.initial)))
        object.__setattr__(self, "presets", MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in dict(self.presets).items()}))

    def with_parameters(self, **overrides: Any) -> "SynapseModel":
        """A copy with constants (``tau=10*ms``) or initial values (``w=2*mV``) replaced.

        Raises
        ------
        InvalidValueError
            For a name the model does not have.
        DimensionMismatchError
            For a value whose unit differs from the default's.
        """
        namespace, initial = dict(self.namespace), dict(self.initial)
        for name, value in overrides.items():
            if name in namespace:
                _check_same_unit(name, value, namespace[name], self.name)
                namespace[name] = value
            elif name in self.variables:
                if name in initial and not isinstance(value, str) \
                        and not isinstance(initial[name], str):
                    _check_same_unit(name, value, initial[name], self.name)
                initial[name] = value
            else:
                known = sorted(namespace) + sorted(self.variables)
                close = difflib.get_close_matches(name, known, n=1)
                raise InvalidValueError(
                    f"synapse model {self.name!r} has no parameter {name!r}",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + f"its parameters are {', '.join(known)}")
        name = self.name if not overrides or self.name.endswith("*") else self.name + "*"
        return replace(self, namespace=namespace, initial=initial, name=name)

    def with_preset(self, preset: str) -> "SynapseModel":
        """This model with the constants of ``preset`` (see :attr:`presets`)."""
        if preset not in self.presets:
            close = difflib.get_close_matches(str(preset), list(self.presets), n=1)
            raise InvalidValueError(
                f"{self.family or self.name} has no preset {preset!r}",
                hint=(f"did you mean {close[0]!r}? " if close else "")
                + (f"the presets are: {', '.join(self.presets)}" if self.presets
                   else "it has no presets; set values as keyword arguments"))
        values = {k: v for k, v in self.presets[preset].items() if k != "description"}
        model = self.with_parameters(**values)
        return replace(model, name=f"{self.family or self.name}:{preset}", preset=preset)

    @property
    def variables(self) -> tuple[str, ...]:
        """The synaptic variables the equations declare (``w``, traces, kernel states)."""
        names = []
        for line in self.equations.splitlines():
            head = line.split("#", 1)[0].split(":", 1)[0].strip()
            if not head:
                continue
            if "=" in head:
                left = head.split("=", 1)[0].strip()
                if left.startswith("d") and left.endswith("/dt"):
                    names.append(left[1:-3].strip())
            else:
                names.append(head)
        return tuple(names)

    def __str__(self) -> str:
        lines = [f"{self.name} — {self.description}" if self.description else self.name,
                 "  equations:"]
        lines += [f"    {line}" for line in self.equations.splitlines()]
        lines.append(f"  on_pre:  {self.on_pre}")
        lines.append(f"  on_post: {self.on_post}")
        lines.append(f"  method:  {self.method}")
        if self.namespace:
            lines.append("  parameters:")
            width = max(len(k) for k in self.namespace)
            lines += [f"    {k:<{width}} = {format_value(v)}" for k, v in self.namespace.items()]
        if self.initial:
            lines.append("  initial values:")
            lines += [f"    {k} = {format_value(v)}" for k, v in self.initial.items()]
        if self.presets:
            lines.append(f"  presets: {', '.join(self.presets)}")
        if self.notes:
            lines += ["  notes:"] + ["    " + t for t in textwrap.wrap(self.notes, 76)]
        if self.citation:
            lines.append("  citation: " + "\n            ".join(textwrap.wrap(self.citation, 76)))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def _check_same_unit(name: str, value: Any, default: Any, model: str) -> None:
    want, got = units.dimension_of(default), units.dimension_of(value)
    if want != got:
        raise DimensionMismatchError(
            f"parameter {name!r} of synapse model {model!r} has unit "
            f"{units.format_dimension(want)}, but the value given has unit "
            f"{units.format_dimension(got)}")


def make(template: SynapseModel, preset: str | None, overrides: Mapping[str, Any]) -> SynapseModel:
    """``template`` with ``preset`` applied, then ``overrides`` (the family constructors)."""
    model = template if preset is None else template.with_preset(preset)
    return model.with_parameters(**overrides) if overrides else model


def _no_presets(family: str, preset: str | None) -> None:
    if preset is not None:
        raise InvalidValueError(f"{family} has no presets, so not {preset!r}",
                                hint=f"call {family}() and set values as keyword arguments")


# --- kernels -------------------------------------------------------------------------------
def VoltageJump(preset: str | None = None, *, target: str = "v", **overrides: Any) -> SynapseModel:
    """Each arriving spike moves the target's ``target`` (a voltage) by ``w`` at once —
    the synapse of the network of Izhikevich (2003)."""
    _no_presets("VoltageJump", preset)
    template = SynapseModel(
        name="VoltageJump", family="VoltageJump", equations="w : volt",
        on_pre=f"{target}_post += w", on_post=None, namespace={}, initial={"w": 1 * mV},
        description="instantaneous voltage jump v_post += w",
        citation="Izhikevich EM (2003) Simple model of spiking neurons. IEEE Trans Neural "
                 "Netw 14:1569-1572.")
    return make(template, None, overrides)


def ExponentialCurrent(preset: str | None = None, *, target: str = "I_syn",
                       **overrides: Any) -> SynapseModel:
    """A current that jumps by ``w`` at each spike and decays with ``tau``."""
    _no_presets("ExponentialCurrent", preset)
    template = SynapseModel(
        name="ExponentialCurrent", family="ExponentialCurrent", method="exact",
        equations=f"""
        w : amp
        dI_s/dt = -I_s/tau : amp
        {target}_post = I_s : amp (summed)
        """, on_pre="I_s += w", on_post=None, namespace={"tau": 5 * ms},
        initial={"w": 10 * pA}, description="exponentially decaying synaptic current",
        citation="Dayan P, Abbott LF (2001) Theoretical Neuroscience, ch. 5.8. MIT Press.")
    return make(template, None, overrides)


def ExponentialConductance(preset: str | None = None, *, target: str = "I_syn",
                           voltage: str = "v", **overrides: Any) -> SynapseModel:
    """A conductance that jumps by ``w`` at each spike and decays with ``tau``, driving
    ``g*(E - v)`` into the target (``E`` = 0 mV: excitatory; -80 mV: inhibitory)."""
    _no_presets("ExponentialConductance", preset)
    template = SynapseModel(
        name="ExponentialConductance", family="ExponentialConductance", method="exact",
        equations=f"""
        w : siemens
        dg/dt = -g/tau : siemens
        {target}_post = g*(E - {voltage}_post) : amp (summed)
        """, on_pre="g += w", on_post=None, namespace={"tau": 5 * ms, "E": 0 * mV},
        initial={"w": 1 * nS}, description="exponentially decaying synaptic conductance",
        citation="Dayan P, Abbott LF (2001) Theoretical Neuroscience, ch. 5.8. MIT Press.")
    return make(template, None, overrides)


def AlphaCurrent(preset: str | None = None, *, target: str = "I_syn",
                 **overrides: Any) -> SynapseModel:
    """The alpha function ``w (t/tau) exp(1 - t/tau)`` after each spike: rises and
    peaks at ``w`` after ``tau``, written as two linear equations."""
    _no_presets("AlphaCurrent", preset)
    template = SynapseModel(
        name="AlphaCurrent", family="AlphaCurrent", method="exact",
        equations=f"""
        w : amp
        dI_s/dt = (x - I_s)/tau : amp
        dx/dt = -x/tau : amp
        {target}_post = I_s : amp (summed)
        """, on_pre="x += w*exp(1)", on_post=None, namespace={"tau": 5 * ms},
        initial={"w": 10 * pA}, description="alpha-function synaptic current peaking at w",
        citation="Rall W (1967) Distinguishing theoretical synaptic potentials computed for "
                 "different soma-dendritic distributions of synaptic input. J Neurophysiol "
                 "30:1138-1168.")
    return make(template, None, overrides)


_DOUBLE_EXPONENTIAL = ("The difference of exponentials of Gerstner W, Kistler WM, Naud R, "
                       "Paninski L (2014) Neuronal Dynamics, ch. 3.1, with I0 = 1 pA, "
                       "tau = 15 ms, tau_s = tau/4.")


def DoubleExponential(preset: str | None = None, *, target: str = "I_syn",
                      **overrides: Any) -> SynapseModel:
    """A double-exponential current: ``I = I0 w sum_k [exp(-(t - t_k)/tau) - exp(-(t - t_k)/tau_s)]``
    over the (delayed) presynaptic spikes ``t_k``, with a dimensionless weight ``w``."""
    _no_presets("DoubleExponential", preset)
    template = SynapseModel(
        name="DoubleExponential", family="DoubleExponential", method="exact",
        equations=f"""
        w : 1
        ds_slow/dt = -s_slow/tau : 1
        ds_fast/dt = -s_fast/tau_s : 1
        {target}_post = I0*w*(s_slow - s_fast) : amp (summed)
        """, on_pre="s_slow += 1; s_fast += 1", on_post=None,
        namespace={"I0": 1 * pA, "tau": 15 * ms, "tau_s": 3.75 * ms}, initial={"w": 500},
        description="difference of exponentials I0*w*(exp(-t/tau) - exp(-t/tau_s))",
        citation=_DOUBLE_EXPONENTIAL)
    return make(template, None, overrides)


#: Name → constructor of every kernel model.
KERNELS = {"VoltageJump": VoltageJump, "ExponentialCurrent": ExponentialCurrent,
           "ExponentialConductance": ExponentialConductance, "AlphaCurrent": AlphaCurrent,
           "DoubleExponential": DoubleExponential}
