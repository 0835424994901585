"""The elements of one LEMS ``<Dynamics>`` → eqsnn lines, threshold, reset, events and
refractoriness (see the table in :mod:`eqsnn.neuroml.dynamics`)."""
from __future__ import annotations

import re

from eqsnn.neuroml.dimensions import unit_string
from eqsnn.neuroml.expressions import ExpressionError, evaluate
from eqsnn.neuroml.lems import local_name
from eqsnn.neuroml.translation import Context, eqsnn_name

__all__ = ["DynamicsElements"]

_SUPPORTED = {"StateVariable", "DerivedVariable", "ConditionalDerivedVariable",
              "TimeDerivative", "OnStart", "OnCondition", "OnEvent", "Regime"}


class DynamicsElements:
    """The elements of one ``<Dynamics>`` written into ``ctx.out``: variables, time
    derivatives, conditions and events, and the refractory regime pair."""

    def __init__(self, ctx: Context, element):
        self.ctx, self.element = ctx, element
        self.states: dict[str, tuple[str, object]] = {}   # LEMS name -> (dimension, el)
        self.derived: list = []                            # DerivedVariable-like elements
        self.derivatives: dict[str, object] = {}           # top-level TimeDerivatives
        self.conditions: list = []
        self.events: list = []
        self.starts: list = []
        self.regimes: list = []
        self.assigned_each_step: dict[str, list[tuple[str, str]]] = {}  # var -> (test, value)
        self.regime_spike = None   # the spiking OnCondition of the refractory regime pair
        self.catch_ups: set = set()   # assignments of the delta-synapse idiom, read apart

    def translate(self) -> None:
        self._collect()
        self._name_variables()
        frozen, refractory, regime_reset = self._regimes()
        self._write_events(regime_reset)
        self._write_variables(frozen)
        self.ctx.out.refractory = refractory

    def _collect(self) -> None:
        for child in self.element:
            if not isinstance(child.tag, str):
                continue
            tag = local_name(child.tag)
            if tag not in _SUPPORTED:
                raise self.ctx.unsupported(child, f"<{tag}>")
            if tag == "StateVariable":
                self.states[child.get("name")] = (child.get("dimension", "none"), child)
            elif tag in ("DerivedVariable", "ConditionalDerivedVariable"):
                self.derived.append(child)
            elif tag == "TimeDerivative":
                self.derivatives[child.get("variable")] = child
            elif tag == "OnCondition":
                self.conditions.append(child)
            elif tag == "OnEvent":
                self.events.append(child)
            elif tag == "OnStart":
                self.starts.append(child)
            else:
                self.regimes.append(child)
        # A derived variable of the same name wins over a state variable (NeuroML's
        # pinskyRinzelCA3Cell declares Sisat as both; jNeuroML computes it).
        for element in self.derived:
            self.states.pop(element.get("name"), None)

    def _name_variables(self) -> None:
        out = self.ctx.out
        taken = set(out.names.values())
        prefix = self.ctx.prefix
        for name, (dim_name, where) in self.states.items():
            out.names[name] = prefix + eqsnn_name(name, taken)
            taken.add(out.names[name])
            out.dims[out.names[name]] = self.ctx.dimension(dim_name, where)
        for element in self.derived:
            name = element.get("name")
            out.names[name] = prefix + eqsnn_name(name, taken)
            taken.add(out.names[name])
            out.dims[out.names[name]] = self.ctx.dimension(element.get("dimension"), element)

    # --- regimes: the integrate / refractory pair --------------------------------------
    def _regimes(self):
        """``(frozen variables, refractory period in s, reset statements)``."""
        if not self.regimes:
            return set(), None, []
        ctx = self.ctx
        if len(self.regimes) != 2:
            raise ctx.unsupported(self.regimes[0], f"{len(self.regimes)} <Regime>s",
                                  hint="eqsnn translates regimes only as the pair "
                                       "'integrating' + 'refractory' of NeuroML's cells")
        initial = [r for r in self.regimes if r.get("initial") == "true"]
        if len(initial) != 1:
            raise ctx.unsupported(self.regimes[0], "regimes without exactly one initial "
                                                   "regime")
        active = initial[0]
        resting = next(r for r in self.regimes if r is not active)
        spike = self._regime_spike(active, resting)
        entry_assignments, period = self._refractory_regime(resting, active)
        active_derivatives = {e.get("variable"): e for e in _children(active, "TimeDerivative")}
        for variable, element in {e.get("variable"): e
                                  for e in _children(resting, "TimeDerivative")}.items():
            if variable not in active_derivatives or \
                    active_derivatives[variable].get("value") != element.get("value"):
                raise ctx.unsupported(element, "a time derivative that differs between "
                                               "the regimes")
        frozen = set(active_derivatives) - {e.get("variable")
                                            for e in _children(resting, "TimeDerivative")}
        overlap = set(active_derivatives) & set(self.derivatives)
        if overlap:
            raise ctx.unsupported(active_derivatives[min(overlap)],
                                  "a time derivative both inside and outside the regimes")
        self.derivatives.update(active_derivatives)
        self.conditions.insert(0, spike)
        self.regime_spike = spike
        return frozen, period, entry_assignments

    def _regime_spike(self, active, resting):
        conditions = _children(active, "OnCondition")
        if len(conditions) != 1 or not _children(conditions[0], "EventOut") \
                or [t.get("regime") for t in _children(conditions[0], "Transition")] \
                != [resting.get("name")]:
            raise self.ctx.unsupported(active, "an initial regime that is not left by one "
                                               "spiking condition")
        for child in active:
            if isinstance(child.tag, str) and local_name(child.tag) not in (
                    "TimeDerivative", "OnCondition"):
                raise self.ctx.unsupported(child, f"<{local_name(child.tag)}> in the regime "
                                                  f"{active.get('name')!r}")
        return conditions[0]

    def _refractory_regime(self, resting, active):
        """The OnEntry assignments and the period of a regime left at
        ``t .gt. last + period`` where OnEntry sets ``last = t``."""
        ctx = self.ctx
        entries = _children(resting, "OnEntry")
        conditions = _children(resting, "OnCondition")
        if len(entries) != 1 or len(conditions) != 1 or \
                [t.get("regime") for t in _children(conditions[0], "Transition")] \
                != [active.get("name")] or len(conditions[0]) != 1:
            raise ctx.unsupported(resting, "a regime other than a refractory period")
        assignments = _children(entries[0], "StateAssignment")
        clock = [a.get("variable") for a in assignments if a.get("value", "").strip() == "t"]
        test = conditions[0].get("test", "")
        match = re.fullmatch(r"\s*t\s*\.(gt|geq)\.\s*(\w+)\s*\+\s*(.+?)\s*", test)
        if not clock or not match or match.group(2) not in clock:
            raise ctx.unsupported(conditions[0], f"the regime exit {test!r} (eqsnn knows "
                                                 "'t .gt. lastSpikeTime + refract')")
        try:
            period = evaluate(ctx.expression(match.group(3), conditions[0]), ctx.values)
        except ExpressionError:
            raise ctx.unsupported(conditions[0], "a refractory period that is not a "
                                                 "constant") from None
        return [self._assignment(a) for a in assignments], period

    # --- writing ----------------------------------------------------------------------
    def _write_variables(self, frozen: set[str]) -> None:
        ctx, out = self.ctx, self.ctx.out
        for name, element in self.derivatives.items():
            if name not in self.states:
                raise ctx.lib.error(element, f"TimeDerivative of {name!r}, which is not a "
                                             f"StateVariable")
        for name in self.states:
            eq_name = out.names[name]
            unit = unit_string(out.dims[eq_name])
            out.states.append(eq_name)
            if eq_name in self.assigned_each_step and ctx.each_step == "expression":
                out.lines.append(f"{eq_name} = {self._each_step_value(eq_name)} : {unit}")
                out.states.remove(eq_name)
                out.initial = [(k, v) for k, v in out.initial if k != eq_name]
            elif eq_name in self.assigned_each_step:
                out.lines.append(f"d{eq_name}/dt = {self._each_step(eq_name)} : {unit}")
            elif name in self.derivatives:
                element = self.derivatives[name]
                flag = " (unless refractory)" if name in frozen else ""
                out.lines.append(f"d{eq_name}/dt = {ctx.expression(element.get('value'), element)}"
                                 f" : {unit}{flag}")
            else:
                out.lines.append(f"{eq_name} : {unit}")
        for element in self.derived:
            eq_name = out.names[element.get("name")]
            unit = unit_string(out.dims[eq_name])
            value = self._derived_value(element)
            # LEMS evaluates a DerivedVariable once per step: one draw of random() a step
            held = " (constant over dt)" if "rand()" in value else ""
            out.lines.append(f"{eq_name} = {value} : {unit}{held}")

    def _derived_value(self, element) -> str:
        ctx = self.ctx
        if local_name(element.tag) == "ConditionalDerivedVariable":
            return self._cases(element)
        if element.get("value") is not None:
            return ctx.expression(element.get("value"), element)
        select, reduce = element.get("select"), element.get("reduce")
        match = re.fullmatch(r"(\w+)\[\*\]/(\w+)", select or "")
        if not match or reduce not in ("add", None):
            raise ctx.unsupported(element, f"a derived variable selecting {select!r} "
                                           f"(reduce={reduce!r})",
                                  hint="eqsnn sums attached inputs: select='synapses[*]/i' "
                                       "reduce='add'")
        names = ctx.sums(match.group(1), match.group(2), element)
        return " + ".join(names) if names else "0"

    def _cases(self, element) -> str:
        cases = _children(element, "Case")
        if not cases or cases[-1].get("condition") is not None:
            raise self.ctx.unsupported(element, "a ConditionalDerivedVariable without a "
                                                "final default <Case>")
        result = f"({self.ctx.expression(cases[-1].get('value'), cases[-1])})"
        for case in reversed(cases[:-1]):
            condition = self.ctx.expression(case.get("condition"), case)
            value = self.ctx.expression(case.get("value"), case)
            result = f"({condition})*({value}) + (not ({condition}))*{result}"
        return result

    def _assignment(self, element, end_of_step: bool = False, time: str | None = None) -> str:
        variable = element.get("variable")
        target = self.ctx.out.names.get(variable)
        if variable not in self.states:
            raise self.ctx.lib.error(element, f"assignment to {variable!r}, which is not a "
                                              f"StateVariable of {self.ctx.rtype.name!r}")
        value = self.ctx.expression(element.get("value"), element, end_of_step=end_of_step,
                                    time=time)
        return f"{target} = {value}"

    def _delta_synapses(self) -> None:
        """The delta-synapse idiom (:mod:`eqsnn.neuroml.export_deltas`): synapses count
        what they delivered (``x_jumps``), the cell sums the counts and adds what is new
        (``x = x + (x_jumps - x_jumps_seen)``, ``x_jumps_seen = x_jumps``) in a condition
        of its own and before its reset. That is ``x_post += ...`` in the synapses'
        ``on_pre``: the conditions go, ``out.deltas`` tells the synapses."""
        sums = {}
        for element in self.derived:
            match = re.fullmatch(r"synapses\[\*\]/(\w+)", element.get("select") or "")
            if match:
                sums[element.get("name")] = match.group(1)
        if not sums:
            return
        for condition in list(self.conditions):
            assignments = _children(condition, "StateAssignment")
            values = {(a.get("variable"), (a.get("value") or "").strip()): a
                      for a in assignments}
            caught = set()
            for (variable, value), element in values.items():
                match = re.fullmatch(rf"{re.escape(variable)}\s*\+\s*\(\s*(\w+)\s*-\s*"
                                     rf"(\w+)\s*\)", value)
                if match and match.group(1) in sums and (match.group(2), match.group(1)) \
                        in values and match.group(2) in self.states:
                    caught |= {element, values[match.group(2), match.group(1)]}
                    self.ctx.out.deltas[sums[match.group(1)]] = self.ctx.out.names[variable]
            self.catch_ups |= caught
            if caught and len(caught) == len(assignments) and not _children(condition,
                                                                             "EventOut"):
                self.conditions.remove(condition)

    def _post_events(self) -> None:
        """The postsynaptic-event idiom (:mod:`eqsnn.neuroml.export_plasticity`): a
        synapse's condition ``spike_count .gt. seen`` on its target's spike count, whose
        last assignment is ``seen = spike_count``, is eqsnn's ``on_post``; jNeuroML runs
        it ``ctx.post_lag`` steps after eqsnn runs on_post, so its ``t`` is read so."""
        time = f"(t + {self.ctx.post_lag}*dt)"
        for condition in list(self.conditions):
            match = re.fullmatch(r"\s*(\w+)\s*\.gt\.\s*(\w+)\s*", condition.get("test") or "")
            assignments = _children(condition, "StateAssignment")
            if not (match and match.group(1) in self.ctx.requirements and assignments
                    and assignments[-1].get("variable") == match.group(2)
                    and (assignments[-1].get("value") or "").strip() == match.group(1)
                    and not _children(condition, "EventOut")):
                continue
            self.conditions.remove(condition)
            self.ctx.out.on_event.setdefault("post", []).extend(
                self._assignment(a, time=time) for a in assignments[:-1])

    def _write_events(self, regime_reset: list[str]) -> None:
        ctx, out = self.ctx, self.ctx.out
        self._delta_synapses()
        self._post_events()
        for start in self.starts:
            for assignment in _children(start, "StateAssignment"):
                statement = self._assignment(assignment)
                target, value = statement.split(" = ", 1)
                out.initial.append((target, value))
        spiking = [c for c in self.conditions if _children(c, "EventOut")]
        if len(spiking) > 1:
            raise ctx.unsupported(spiking[1], "a second <OnCondition> that emits events",
                                  hint="eqsnn neurons have one threshold")
        for condition in self.conditions:
            for child in condition:
                tag = local_name(child.tag) if isinstance(child.tag, str) else ""
                if tag not in ("StateAssignment", "EventOut", "Transition", ""):
                    raise ctx.unsupported(child, f"<{tag}> in an <OnCondition>")
            # jNeuroML checks a condition on the state at the end of a step (time t + dt);
            # inside the refractory regime pair its clock is the step's start (measured).
            # An input's conditions become a subexpression: its time is the caller's.
            late = condition is not self.regime_spike and ctx.each_step != "expression"
            test = ctx.expression(condition.get("test"), condition, end_of_step=late)
            statements = [self._assignment(a, late)
                          for a in _children(condition, "StateAssignment")
                          if a not in self.catch_ups]
            if condition is self.regime_spike:
                # jNeuroML does not test a regime's conditions in the step that enters
                # it; the initial regime is entered in the first step (measured).
                test = f"t > 0 and ({test})"
            if condition in spiking:
                out.threshold = test
                out.reset = statements + regime_reset
            else:
                self._per_step(condition, test, statements)
        for event in self.events:
            if _children(event, "EventOut"):
                raise ctx.unsupported(event, "an <OnEvent> that emits events")
            port = event.get("port")
            out.on_event.setdefault(port, []).extend(
                self._assignment(a) for a in _children(event, "StateAssignment"))

    def _per_step(self, condition, test: str, statements: list[str]) -> None:
        ctx = self.ctx
        for statement in statements:
            target, value = statement.split(" = ", 1)
            lems = next(k for k, v in ctx.out.names.items() if v == target)
            if lems in self.derivatives:
                raise ctx.unsupported(condition, f"an <OnCondition> without events that "
                                                 f"assigns the integrated variable {lems!r}")
            self.assigned_each_step.setdefault(target, []).append((test, value))
        if statements:
            ctx.out.per_step.append((test, [tuple(s.split(" = ", 1)) for s in statements]))

    def _each_step(self, name: str) -> str:
        """``x ← value where test`` every step, as an equation whose forward-Euler step
        is exactly that assignment: ``dx/dt = (target - x)/dt``, ``target`` being the
        value of the last condition that holds, or ``x`` itself (see the importer: such
        models are integrated with ``euler`` only)."""
        target = name
        for test, value in self.assigned_each_step[name]:
            target = f"({test})*({value}) + (not ({test}))*({target})"
        return f"(({target}) - {name})/dt"

    def _each_step_value(self, name: str) -> str:
        initial = dict(self.ctx.out.initial)
        value = initial.get(name, "0")
        for test, assigned in self.assigned_each_step[name]:
            value = f"({test})*({assigned}) + (not ({test}))*({value})"
        return value


def _children(element, tag: str) -> list:
    return [c for c in element if isinstance(c.tag, str) and local_name(c.tag) == tag]
