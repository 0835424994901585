"""``PoissonInput(target, "v", N, rate, weight)``: Brian2's efficient Poisson drive.

Every step, each neuron of ``target`` gets ``weight`` times the number of events of
``N`` independent Poisson sources of rate ``rate`` — a binomial(N, p = rate*dt) draw,
without making any spike or synapse. As in Brian2 (``brian2/input/binomial.py``):

* the draw is a binomial by inversion of its distribution function, or, when
  ``N p > 5`` and ``N (1 - p) > 5``, the normal approximation ``N p + sqrt(N p (1-p)) z``
  (then not a whole number of events);
* it runs in the ``synapses`` slot by default (``when=``, ``order=`` move it), after
  the state update and the threshold, like the propagation of spikes;
* a variable flagged ``(unless refractory)`` is read-only while its neuron is
  refractory (Brian2's conditional write): a refractory neuron gets no input.

The distribution function is tabulated once per run (for ``min(p, 1 - p)``, up to
Brian2's bound ``N P + 10 sqrt(N P (1 - P) + 1)``), and each neuron's draw is a pure
function of (seed, operation, step, neuron) like every random number of eqsnn: both
backends and any number of threads give the same input. The rate and the weight are
data, read when ``run()`` starts (changing them never recompiles).
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.codegen.barriers import Access, Unit
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.runtime.binomial import binomial_table
from eqsnn.runtime.group_setup import _default_name
from eqsnn.runtime.schedule import Scheduled, Slot

__all__ = ["PoissonInput"]

class PoissonInput(Scheduled):
    """Adds to ``target_var`` of each neuron of ``target`` the events of ``N`` Poisson
    sources of rate ``rate``, times ``weight``, every step.

    Parameters
    ----------
    target
        A neuron group or subgroup (``G[:100]``).
    target_var
        The variable the events add to (a state variable of the group, e.g. ``"v"``).
    N
        The number of sources per neuron (a whole number >= 1).
    rate
        The rate of each source: a rate (``10*Hz``) or a string of constants
        (``"nu_ext"``, with ``namespace=`` or the group's namespace), one rate for all.
    weight
        What one event adds: a quantity of the variable's unit, or a string evaluated per
        neuron when ``run()`` starts (``"w0*(1 + i/N)"``; constants, ``i``, ``N`` and the
        group's parameters).
    when, order
        Brian2's scheduling slot (default ``"synapses"``, order 0: after the spikes'
        propagation of the ``pre`` pathways, before the resets); see
        :mod:`eqsnn.runtime.schedule`.
    """

    _kind = "monitor"  # (the network's list of other objects: contributed after synapses)

    def __init__(self, target: Any, target_var: str, N: Any, rate: Any, weight: Any, *,
                 when: str = "synapses", order: int = 0,
                 namespace: Mapping[str, Any] | None = None, name: str | None = None):
        from eqsnn.runtime.groups import source_range
        if not hasattr(target, "_owner") or not hasattr(target._owner, "_arrays"):
            raise InvalidValueError(f"the target of a PoissonInput must be a neuron group or "
                                    f"subgroup, not {type(target).__name__}")
        self.target = target
        self._group, self._start, self._stop = source_range(target)
        self.name = name or _default_name("poissoninput")
        self.target_var = _check_variable(self._group, target_var)
        self.N = _check_count(N)
        self._slot = Slot(self, None, when, order)
        self._namespace = dict(self._group._sources[4])
        self._namespace.update(namespace or {})
        self.rate, self.weight = rate, weight
        self._check_rate(rate)
        self._weights()  # the unit and the names of a string weight are checked now

    # --- rate and weight -------------------------------------------------------------
    def _check_rate(self, rate: Any) -> float:
        if isinstance(rate, str):
            value = self._string(rate, "rate", _hertz(), per_neuron=False)
        else:
            magnitude, dim = units.to_si(rate)
            if dim != _hertz():
                raise DimensionMismatchError(
                    f"the rate of a PoissonInput must be a rate, not "
                    f"{units.describe(rate)}", hint="write it like rate=10*Hz")
            if np.ndim(magnitude) != 0:
                raise InvalidValueError("a PoissonInput has one rate for all its neurons",
                                        hint="for rates per neuron, use one PoissonInput "
                                             "per subgroup, or a PoissonGroup and Synapses")
            value = float(magnitude)
        if not (0 <= value < np.inf):
            raise InvalidValueError(f"the rate of a PoissonInput must be finite and not "
                                    f"negative, got {value} Hz")
        return value

    def _weights(self) -> np.ndarray:
        """One weight per target neuron, in SI."""
        n = self._stop - self._start
        dim = self._group._dims[self.target_var]
        if isinstance(self.weight, str):
            return np.broadcast_to(self._string(self.weight, self.target_var, dim,
                                                per_neuron=True), (n,)).copy()
        from eqsnn.runtime.variables import convert_value
        try:
            return np.array(convert_value(self.target_var, self.weight, dim, (n,)))
        except DimensionMismatchError as error:
            raise DimensionMismatchError(
                f"the weight of {self.name!r} must have the unit of {self.target_var} "
                f"({units.format_dimension(dim)}): {error.message}",
                hint=f"e.g. weight=0.1*{units.unit_for_dimension(dim)}") from None

    def _string(self, text: str, what: str, dim, *, per_neuron: bool):
        """A string evaluated for the target's neurons when the run starts."""
        from eqsnn.lowering import cache
        from eqsnn.lowering.namespace import resolve_names
        from eqsnn.lowering.records import ValueRecord
        group = self._group
        label = f"{what} of {self.name}"

        def derive():
            from eqsnn.lowering.initialisers import lower_initialiser
            return lower_initialiser(group.equations, text, what, dim, group._all_dims,
                                     self._namespace, list(group._dims))
        derived = cache.derived_from_strings("PoissonInput", group._build_key, [what, text],
                                             self._namespace, ValueRecord, derive)
        from eqsnn.lowering.generators import tree_names
        from eqsnn.lowering.names import VIEW_NAMES
        used = tree_names(derived.tree)
        used |= {name for name, own in VIEW_NAMES.items() if own in used}  # (its own i, N)
        changing = sorted(used & (set(group._record.differential) | {"t"}))
        if not per_neuron:
            changing += sorted(used & ({"i"} | set(group._dims)))
        if changing:
            raise InvalidValueError(
                f"the {label} uses {', '.join(changing)}, which "
                f"{'change during the run' if per_neuron else 'differ between neurons or in time'}"
                f"; it is evaluated once, when run() starts",
                hint="use constants (namespace=), i, N and parameters" if per_neuron else
                "one rate of constants for all neurons; for rates in time use a PoissonGroup "
                "with rates='...' and Synapses")
        extra = resolve_names(derived.extra, self._namespace, source=text, label=label,
                              known=list(group._dims))
        values = group._evaluate(derived.tree, slice(self._start, self._stop), extra)
        return values if per_neuron else float(values[0])

    def _table(self, dt: float) -> SimpleNamespace:
        """What the loop needs for this run: the distribution function (or the normal
        approximation's location and scale) of the number of events per step."""
        n, p = self.N, self._check_rate(self.rate) * dt
        if p > 1:
            raise InvalidValueError(
                f"the rate of {self.name!r} times dt is {p:g}: more than one event per source "
                f"and step", hint="use a smaller dt, or more sources (N) of a lower rate")
        return binomial_table(n, p)  # (the normal approximation when n p > 5 and n (1-p) > 5)

    def _clamped(self) -> bool:
        """Whether the variable is flagged ``(unless refractory)`` in a group with
        refractoriness (Brian2's conditional write)."""
        group = self._group
        return group.refractory is not None and any(
            v.name == self.target_var and v.unless_refractory for v in group._record.variables)

    def _writable_after(self) -> int:
        """Steps since the last spike from which the target is written again (Brian2's
        not_refractory as this input's slot sees it; a string refractoriness: its array)."""
        from eqsnn.runtime.refractory_flags import flag_steps
        group = self._group
        return flag_steps(self._slot, group) if isinstance(group.refractory, float) else 0

    # --- the network's interface ---------------------------------------------------------
    def _dependencies(self) -> list:
        return [self._group]

    def _writes_into(self) -> list[tuple[Any, set[str]]]:
        """The group's variable the loop adds to, for the NaN check (runtime/finite.py)."""
        return [(self._group, {self.target_var})]

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        own = self._period(dt)[1]  # (the target group's dt: it acts on its clock)
        self._run = (self._table(own), self._weights())  # read once per run

    def _period(self, dt: float) -> tuple[int, float]:
        """(k, dt) of the target group's clock, on which Brian2 runs a PoissonInput."""
        return self._group.clock.every(dt, repr(self._group.name))

    def _current(self, dt: float):
        if getattr(self, "_run", None) is None:
            self._prepare(0, 0, dt)
        return self._run

    def _contribution(self, layout, backend: str, dt: float) -> Contribution:
        from eqsnn.runtime.group_code import names
        self._prepare(0, 0, dt)  # errors (p > 1) before anything is compiled
        c = Contribution()
        p = layout.prefix(self)
        g = layout.prefix(self._group)
        spec = SimpleNamespace(
            label=f"PoissonInput {p}",
            cdf=c.array(f"{p}_cdf", lambda: self._current(dt)[0].cdf),
            ncdf=c.int_scalar(f"{p}_ncdf", lambda: self._current(dt)[0].cdf.size),
            reverse=c.int_scalar(f"{p}_reverse", lambda: self._current(dt)[0].reverse),
            normal=c.int_scalar(f"{p}_normal", lambda: self._current(dt)[0].normal),
            loc=c.scalar(f"{p}_loc", lambda: self._current(dt)[0].loc),
            scale=c.scalar(f"{p}_scale", lambda: self._current(dt)[0].scale),
            n=c.int_scalar(f"{p}_n", lambda: self.N),
            weight=c.array(f"{p}_weight", lambda: self._current(dt)[1]),
            clamped=f"{p}_clamped",
            writable_after=c.int_scalar(f"{p}_writable_after", self._writable_after),
            # a string refractoriness keeps Brian2's flag per neuron
            flag=layout.variable(self._group, "not_refractory")
            if isinstance(self._group.refractory, str) else "",
            start=c.int_scalar(f"{p}_start", lambda: self._start),
            stop=c.int_scalar(f"{p}_stop", lambda: self._stop))
        c.int_scalar(f"{p}_clamped", lambda: int(self._clamped()))
        # each thread adds to its own block of the group's neurons
        unit = Unit((Access(g, True, ("neurons", g)),))
        self._slot.add_to(c, "poisson_input", numbered=True, input=spec,
                          period=self._period(dt),
                          target=layout.variable(self._group, self.target_var),
                          group=names(self._group, layout), unit=unit,
                          **thread_inputs(backend, unit, block=block_names(g)))
        return c

    def __repr__(self) -> str:
        return (f"PoissonInput({self.target.name}, {self.target_var!r}, N={self.N}, "
                f"name={self.name!r})")


def _hertz():
    return units.dimension_of(1 / (1 * units.ureg.second))


def _check_variable(group, var: Any) -> str:
    if not isinstance(var, str) or var not in group._arrays:
        known = sorted(v for v in group._arrays if v not in group._shared)
        raise InvalidValueError(f"{group.name!r} has no state variable {var!r} for a "
                                f"PoissonInput to add to", hint=f"its variables are {known}")
    if var in group._shared or var in getattr(group, "_linked", ()):
        raise InvalidValueError(f"a PoissonInput adds to a per-neuron variable, but "
                                f"{var!r} of {group.name!r} is "
                                f"{'shared' if var in group._shared else 'linked'}")
    return var


def _check_count(N: Any) -> int:
    if isinstance(N, (float, np.floating)) and float(N).is_integer():
        N = int(N)
    if isinstance(N, (bool, np.bool_)) or not isinstance(N, (int, np.integer)) or N < 1:
        raise InvalidValueError(f"N (the number of Poisson sources per neuron) must be a "
                                f"whole number >= 1, not {N!r}")
    return int(N)
