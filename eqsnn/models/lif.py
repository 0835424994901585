"""Leaky integrate-and-fire neurons, in the two forms textbooks use.

* ``form="tau"``: ``tau dv/dt = El - v + R I`` (membrane time constant and resistance);
* ``form="capacitance"``: ``C dv/dt = gL (El - v) + I`` (capacitance and leak
  conductance), the form of the membrane as an RC circuit.

Each with current input only (``synapses="current"``: synapses add to ``v`` or ``I``)
or with exponentially decaying excitatory and inhibitory conductances
(``synapses="conductance"``: synapses add to ``ge``/``gi``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.models.base import Model, build
from eqsnn.units import Mohm, mV, ms, nS, pF

__all__ = ["LIF", "lif_rate"]

_CITATION = ("Lapicque L (1907) Recherches quantitatives sur l'excitation électrique des "
             "nerfs traitée comme une polarisation. J Physiol Pathol Gen 9:620-635; in "
             "modern form: Gerstner W, Kistler WM, Naud R, Paninski L (2014) Neuronal "
             "Dynamics, ch. 1.3. Cambridge University Press.")
_COND_CITATION = (" Conductance synapses: reversal potentials and time constants of the "
                  "COBA benchmark, Brette R et al. (2007) Simulation of networks of spiking "
                  "neurons: a review of tools and strategies. J Comput Neurosci "
                  "23:349-398.")

# The membrane equation of each form; {syn} is where the synaptic term goes.
_MEMBRANE = {
    "tau": "dv/dt = (El - v{syn} + R*I) / tau : volt (unless refractory)",
    "capacitance": "dv/dt = (gL*(El - v){syn} + I) / C : volt (unless refractory)",
}
_SYNAPTIC_TERM = " + ge*(Ee - v) + gi*(Ei - v)"
# In the tau form the conductances are measured in units of the leak conductance
# (dimensionless), so that R never has to multiply them; in the capacitance form they
# are conductances in siemens.
_CONDUCTANCE_UNIT = {"tau": "1", "capacitance": "siemens"}

_PARAMETERS = {
    "tau": {"El": -70 * mV, "R": 10 * Mohm, "tau": 10 * ms},
    "capacitance": {"El": -70 * mV, "gL": 30 * nS, "C": 300 * pF},
}
_SPIKE = {"V_thresh": -50 * mV, "V_reset": -70 * mV}
_CONDUCTANCE_PARAMETERS = {"Ee": 0 * mV, "Ei": -80 * mV, "tau_e": 5 * ms, "tau_i": 10 * ms}

# A threshold far above the usual -50 mV: the cell needs a strong input to fire (the
# feed-forward example's outputs use it).
_PRESETS = {"capacitance": {"high_threshold": {
    "V_thresh": 20 * mV,
    "description": "LIF with a high threshold, +20 mV (C 300 pF, gL 30 nS): fires only "
                   "under strong input"}},
    "tau": {}}


def LIF(preset: str | None = None, *, form: str = "tau", synapses: str = "current",
        **overrides: Any) -> Model:
    """A leaky integrate-and-fire neuron.

    Parameters
    ----------
    preset
        ``"high_threshold"`` (capacitance form only): a threshold of +20 mV.
    form
        ``"tau"`` (``tau``, ``R``) or ``"capacitance"`` (``C``, ``gL``).
    synapses
        ``"current"`` or ``"conductance"`` (adds ``ge``, ``gi`` with decay times
        ``tau_e``, ``tau_i`` and reversal potentials ``Ee``, ``Ei``).
    **overrides
        Parameter values replacing the defaults (``tau=20*ms``).

    Examples
    --------
    >>> from eqsnn.models import LIF
    >>> print(LIF().equations)
    dv/dt = (El - v + R*I) / tau : volt (unless refractory)
    I : amp
    """
    if form not in _MEMBRANE:
        raise InvalidValueError(f"LIF has no form {form!r}",
                                hint="choose form='tau' or form='capacitance'")
    if synapses not in ("current", "conductance"):
        raise InvalidValueError(f"LIF has no synapses={synapses!r}",
                                hint="choose synapses='current' or synapses='conductance'")
    conductance = synapses == "conductance"
    lines = [_MEMBRANE[form].format(syn=_SYNAPTIC_TERM if conductance else "")]
    namespace = dict(_PARAMETERS[form], **_SPIKE)
    if conductance:
        unit = _CONDUCTANCE_UNIT[form]
        lines += [f"dge/dt = -ge/tau_e : {unit}", f"dgi/dt = -gi/tau_i : {unit}"]
        namespace.update(_CONDUCTANCE_PARAMETERS)
    lines.append("I : amp")
    name = "LIF" + ("-capacitance" if form == "capacitance" else "") + \
        ("-conductance" if conductance else "")
    kind = "conductance-based" if conductance else "current-based"
    template = Model(
        name=name, family="LIF", equations="\n".join(lines),
        threshold="v > V_thresh", reset="v = V_reset", refractory=2 * ms,
        namespace=namespace,
        initial={"v": "El", **({"ge": 0 * _g_unit(form), "gi": 0 * _g_unit(form)}
                               if conductance else {})},
        # The current-based membrane equation is linear with constant coefficients:
        # its exact solution is cheap. With conductances the coefficient of v changes
        # with ge, gi; exponential Euler is exact for v at frozen conductances.
        method="exponential_euler" if conductance else "exact",
        citation=_CITATION + (_COND_CITATION if conductance else ""),
        description=f"leaky integrate-and-fire, {form} form, {kind} input",
        presets=_PRESETS[form], stimulus=None)
    return build(template, preset, overrides)


def _g_unit(form: str):
    return units.ureg.siemens if form == "capacitance" else units.ureg.dimensionless


def lif_rate(model: Model, current: Any) -> Any:
    """The closed-form firing rate of a current-based LIF neuron at constant input.

    The membrane relaxes towards ``v_inf = El + R I``; from ``V_reset`` it reaches
    ``V_thresh`` after ``tau ln((v_inf - V_reset)/(v_inf - V_thresh))``, then waits out
    the refractory period::

        rate = 1 / (t_ref + tau ln((v_inf - V_reset) / (v_inf - V_thresh)))

    and 0 where ``v_inf <= V_thresh``.

    Parameters
    ----------
    model
        A current-based :func:`LIF` model (either form).
    current
        Input current(s) (a quantity in amp, scalar or array).

    Returns
    -------
    Quantity
        Rate(s) in Hz.
    """
    ns = {k: units.to_si(v)[0] for k, v in model.namespace.items()}
    if "tau" in ns:
        tau, resistance = ns["tau"], ns["R"]
    elif "C" in ns:
        tau, resistance = ns["C"] / ns["gL"], 1 / ns["gL"]
    else:
        raise InvalidValueError(f"lif_rate needs a LIF model, not {model.name!r}")
    t_ref = units.to_si(model.refractory)[0] if model.refractory is not None else 0.0
    amps = np.asarray(units.to_si(current)[0], dtype=float)
    v_inf = ns["El"] + resistance * amps
    rate = np.zeros_like(v_inf)
    fires = v_inf > ns["V_thresh"]
    climb = tau * np.log((v_inf[fires] - ns["V_reset"]) / (v_inf[fires] - ns["V_thresh"]))
    rate[fires] = 1.0 / (t_ref + climb)
    return rate * units.ureg.hertz if rate.ndim else float(rate) * units.ureg.hertz

