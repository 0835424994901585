"""eqsnn Synapses as a LEMS ComponentType: how a synapse reaches its target (one
``(summed)`` current, or increments of linearly decaying target variables, moved into
the synapse), its own equations, on_pre as an ``OnEvent``, and NeuroML's weight."""
from __future__ import annotations

import numpy as np

from eqsnn import units
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.export_cells import refuse_noise
from eqsnn.neuroml.export_deltas import jumps
from eqsnn.neuroml.export_inputs import timed_arrays
from eqsnn.neuroml.export_plasticity import (plastic_names, post_events, post_lag,
                                             uses_lastupdate)
from eqsnn.neuroml.lems_printer import UnsupportedExport
from eqsnn.neuroml.writer import number, one_line

__all__ = ["classify", "synapse_type"]


def _refuse_pathways(syn) -> None:
    """NeuroML's synapse has one spike input from the pre cell (and eqsnn's export adds
    the post cell's spikes for on_post): named pathways, custom events and synapses
    between synapses have no counterpart."""
    for side, group in (("source", syn.pre_group), ("target", syn.post_group)):
        if hasattr(group, "pathways"):  # a Synapses object (no import of the runtime here)
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} has the synapses {group.name!r} as its {side}; a NeuroML "
                f"projection connects populations of cells",
                hint="export the network without it (NeuroML has no synapses on synapses)")
    for name, pathway in syn.pathways.items():
        if name not in ("pre", "post"):
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} has a named pathway {name!r}; a NeuroML synapse has one "
                f"on_pre and (in eqsnn's export) one on_post",
                hint="write the pathways' statements as one on_pre (and one on_post)")
        if pathway.event != "spike":
            raise UnsupportedNeuroMLError(
                f"{syn.name!r}'s pathway {name!r} runs on the custom event "
                f"{pathway.event!r}; NeuroML synapses receive spikes only",
                hint="export a model whose synapses are triggered by spikes")


def classify(writer, syn) -> None:
    """How ``syn`` reaches its target: through one ``(summed)`` current, and/or by
    incrementing variables of the target that decay linearly (``ge_post += w`` with
    ``dge/dt = -ge/tau``). Such a variable is the sum of one copy per synapse, so in
    NeuroML each synapse keeps its copy and the cell sums them."""
    _refuse_pathways(syn)
    post = syn.post_group.name
    summed = [e for e in syn.equations.entries if "summed" in e.flags]
    if len(summed) > 1:
        raise UnsupportedNeuroMLError(
            f"{syn.name!r} has {len(summed)} (summed) variables; NeuroML sums the "
            f"synapses of a cell into one current")
    if summed:
        target = summed[0].name[:-len("_post")]
        if summed[0].dim != units.ureg.ampere.dimensionality:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} sums {summed[0].name} in "
                f"{units.format_dimension(summed[0].dim)}; NeuroML synapses deliver a "
                f"current (amp)")
        if writer.summed_targets.setdefault(post, target) != target:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r} sums into {post}.{target}, other synapses into "
                f"{post}.{writer.summed_targets[post]}; NeuroML sums every synapse of a "
                f"cell into one current")
    kernels, deltas = [], {}
    if syn.pre.has_code:
        for statement in syn.pre.statements:
            name = str(statement.lhs)
            if name.endswith("_post"):
                increment = _increment(syn, name[:-5], statement)
                if _decays_alone(syn.post_group, name[:-5]):
                    kernels.append((name[:-5], increment))
                else:
                    deltas[name[:-5]] = increment
    if not summed and not kernels and not deltas:
        raise UnsupportedNeuroMLError(
            f"{syn.name!r} neither sums a current into its target nor increments a "
            f"variable of it; a NeuroML synapse acts through one of these")
    if deltas and (summed or kernels):
        raise UnsupportedNeuroMLError(
            f"{syn.name!r} both increments {', '.join(sorted(deltas))} of its target and "
            f"sends it a current; in NeuroML the two need delays a step apart, and a "
            f"connection has one", hint="split it into two Synapses")
    writer.kernels[syn.name] = kernels
    writer.deltas[syn.name] = deltas
    if syn.post.has_code:   # on_post: the target counts its spikes (export_plasticity)
        writer.counted.add(post)
    equations = syn.post_group.equations
    for name, _ in kernels:
        writer.kernel_variables.setdefault(post, {})[name] = equations[name]
    for name in deltas:
        writer.delta_variables.setdefault(post, {})[name] = equations[name]


def _decays_alone(group, name: str) -> bool:
    """Whether ``name`` of ``group`` decays linearly (``dge/dt = -ge/tau``) and nothing
    else sets it: then it is the sum of one copy per synapse (a kernel, moved into the
    synapses); any other variable a synapse increments gets the jumps of a delta
    synapse (see :mod:`eqsnn.neuroml.export_deltas`)."""
    import sympy
    equations = group.equations
    if name not in equations.differential:
        return False
    entry = equations[name]
    rhs = equations.rhs(name)
    slope = sympy.diff(rhs, entry.symbol)
    if {s.name for s in slope.free_symbols} & set(equations.names) \
            or sympy.simplify(rhs - slope * entry.symbol) != 0:
        return False
    return "unless refractory" not in entry.flags \
        and not any(str(a.lhs) == name for a in group.reset)


def _increment(syn, name: str, statement):
    """``x_post += e`` → ``e``. A variable flagged ``(unless refractory)`` has its write
    guarded by the build stage (``x_post = x_post + e*not_refractory_post``): without
    refractoriness the flag is 1; with it, the jumps must be dropped while the cell is
    refractory, which the LEMS idiom cannot say (jLEMS regimes do not see the
    synapses' sums)."""
    import sympy
    rhs = statement.rhs
    flag = sympy.Symbol("not_refractory_post", real=True)
    if rhs.has(flag):
        if syn.post_group.refractory is not None:
            raise UnsupportedNeuroMLError(
                f"{syn.name!r}: on_pre increments {name}_post, flagged (unless refractory) "
                f"in a refractory group: synapses do not write it while the cell is "
                f"refractory, which NeuroML's delta-synapse form cannot express",
                hint=f"drop the flag from {name!r} (jumps then arrive while refractory "
                     f"too) or the group's refractoriness")
        rhs = rhs.subs(flag, 1)
    increment = sympy.expand(rhs - statement.lhs)
    if statement.lhs in increment.free_symbols:
        raise UnsupportedNeuroMLError(
            f"{syn.name!r}: on_pre scales {name}_post; only increments add up over "
            f"synapses", hint="NeuroML synapses change only their own state: write "
                              "on_pre as x_post += ...")
    return increment


def synapse_type(writer, etree, syn):
    equations = syn.equations
    writer.use_functions(syn.resolved_namespace)
    refuse_noise(syn.name, equations)
    summed = next((e for e in equations.entries if "summed" in e.flags), None)
    kernels = dict(writer.kernels[syn.name])
    post_kernels = writer.kernel_variables.get(syn.post_group.name, {})
    post_names = set()

    def rename(name: str) -> str:
        if name.endswith("_post"):
            post_names.add(name[:-5])
            return name[:-5]
        if name.endswith("_pre"):
            raise UnsupportedExport(f"{name}: a NeuroML synapse cannot read its source")
        return name

    if summed is not None:
        writer.lems(summed.expr, f"{syn.name}: {summed.name}", rename)   # the _post names
    voltage = post_names == {"v"}
    if post_names - {"v"}:
        raise UnsupportedNeuroMLError(
            f"{syn.name!r} reads {sorted(post_names)} of its target; a NeuroML synapse "
            f"can read the membrane potential v only")
    base = "baseVoltageDepSynapse" if voltage else "baseSynapse"
    ctype = etree.Element("ComponentType", name=f"eqsnn_{syn.name}", extends=base,
                          description=f"eqsnn Synapses {syn.name!r}: "
                                      f"{one_line(equations.source)}")
    component = etree.Element("Component", id=f"{syn.name}_synapse",
                              type=f"eqsnn_{syn.name}")
    constants = syn.resolved_namespace
    for name in kernels:   # the target's constants in the moved equations
        for symbol in syn.post_group.equations.rhs(name).free_symbols:
            if symbol.name in syn.post_group.resolved_namespace:
                value = syn.post_group.resolved_namespace[symbol.name]
                if symbol.name in constants and constants[symbol.name].value != value.value:
                    raise UnsupportedNeuroMLError(
                        f"{syn.name!r} and its target both define {symbol.name!r}, "
                        f"differently")
                constants[symbol.name] = value
    arrays = writer.constants(ctype, component, constants, syn.name)
    for name, entry in post_kernels.items():
        etree.SubElement(ctype, "Exposure", name=name, dimension=writer.dimension(entry.dim))
    post_deltas = writer.delta_variables.get(syn.post_group.name, {})
    for name, entry in post_deltas.items():
        etree.SubElement(ctype, "Exposure", name=jumps(name),
                         dimension=writer.dimension(entry.dim))
    weight = _weight(writer, etree, ctype, component, syn)
    dynamics = etree.SubElement(ctype, "Dynamics")
    timed_arrays(writer, etree, dynamics, arrays)
    for name, entry in post_kernels.items():
        if name in kernels:
            etree.SubElement(dynamics, "StateVariable", name=name, exposure=name,
                             dimension=writer.dimension(entry.dim))
        else:
            etree.SubElement(dynamics, "DerivedVariable", name=name, exposure=name,
                             dimension=writer.dimension(entry.dim), value="0")
    for name, entry in post_deltas.items():
        etree.SubElement(dynamics, "StateVariable", name=jumps(name), exposure=jumps(name),
                         dimension=writer.dimension(entry.dim))
    plastic = plastic_names(syn)
    if uses_lastupdate(syn):
        etree.SubElement(dynamics, "StateVariable", name="lastupdate", dimension="time")
    for entry in equations.entries:
        if entry is summed:
            continue
        if entry.kind == "parameter":
            if entry.name in plastic:   # state, from the weight or one value
                etree.SubElement(dynamics, "StateVariable", name=entry.name,
                                 dimension=writer.dimension(entry.dim))
            elif entry.name == weight:
                etree.SubElement(dynamics, "DerivedVariable", name=entry.name,
                                 dimension=writer.dimension(entry.dim),
                                 value=f"weight * {entry.name}_unit")
            continue
        tag = "StateVariable" if entry.kind == "differential" else "DerivedVariable"
        element = etree.SubElement(dynamics, tag, name=entry.name,
                                   dimension=writer.dimension(entry.dim))
        if tag == "DerivedVariable":
            element.set("value", writer.lems(entry.expr, f"{syn.name}: {entry.name}", rename))
    current = "0" if summed is None else \
        writer.lems(summed.expr, f"{syn.name}: {summed.name}", rename)
    etree.SubElement(dynamics, "DerivedVariable", name="i", dimension="current",
                     exposure="i", value=current)
    start = etree.SubElement(dynamics, "OnStart")
    for name in sorted(plastic):
        etree.SubElement(start, "StateAssignment", variable=name,
                         value=f"weight * {name}_unit" if name == weight else f"{name}_init")
    for name in post_deltas:
        etree.SubElement(start, "StateAssignment", variable=jumps(name), value="0")
    for name, entry in post_kernels.items():
        if name in kernels:
            etree.SubElement(start, "StateAssignment", variable=name, value="0")
            rhs = syn.post_group.equations.rhs(name)
            etree.SubElement(dynamics, "TimeDerivative", variable=name,
                             value=writer.lems(rhs, f"{syn.name}: d{name}/dt"))
    for entry in equations.entries:
        if entry.kind == "differential":
            values = np.asarray(getattr(syn, entry.name + "_"))
            if values.size and np.ptp(values) > 0:
                raise UnsupportedNeuroMLError(f"{syn.name}.{entry.name} differs between "
                                              f"synapses at the start")
            etree.SubElement(start, "StateAssignment", variable=entry.name,
                             value=number(values[0]) if values.size else "0")
            if "event-driven" in entry.flags:
                continue   # advanced by the event statements (export_plasticity)
            etree.SubElement(dynamics, "TimeDerivative", variable=entry.name,
                             value=writer.lems(entry.expr, f"{syn.name}: d{entry.name}/dt",
                                              rename))
    if syn.pre.has_code:
        _statements(writer, etree, etree.SubElement(dynamics, "OnEvent", port="in"), syn,
                    syn.pre.statements, "on_pre", kernels, rename)
    if syn.post.has_code:
        lag = post_lag(syn.post_group.refractory is not None)
        etree.SubElement(ctype, "Constant", name="post_lag", dimension="time",
                         value=f"{number(lag * writer.dt)} s")

        def post_rename(name):
            return "(t - post_lag)" if name == "t" else rename(name)
        post_events(etree, ctype, dynamics, start, lambda parent: _statements(
            writer, etree, parent, syn, syn.post.statements, "on_post", kernels, post_rename,
            now="(t - post_lag)"))
    return ctype, component


def _statements(writer, etree, parent, syn, statements, where: str, kernels: dict,
                rename, now: str = "t") -> None:
    """An event's statements as StateAssignments in ``parent``: increments of the
    target go to the synapse's copy (a kernel) or its count of jumps (a delta synapse);
    ``lastupdate = t`` ends them when event-driven variables read it."""
    for statement in statements:
        target = str(statement.lhs)
        if target.endswith("_post"):
            name = target[:-5]
            deltas = writer.deltas[syn.name]
            if name not in kernels and name not in deltas:
                raise UnsupportedNeuroMLError(f"{syn.name!r}: {where} changes {target}, "
                                              f"which has no NeuroML export")
            increment = writer.lems(kernels[name] if name in kernels else deltas[name],
                                    f"{syn.name}: {where}", rename)
            state = name if name in kernels else jumps(name)
            etree.SubElement(parent, "StateAssignment", variable=state,
                             value=f"{state} + {increment}")
            continue
        if target.startswith("_") or target.endswith("_pre"):
            raise UnsupportedNeuroMLError(f"{syn.name!r}: {where} changes {target}, "
                                          f"which has no NeuroML export")
        etree.SubElement(parent, "StateAssignment", variable=target,
                         value=writer.lems(statement.rhs, f"{syn.name}: {where}", rename))
    if uses_lastupdate(syn):
        etree.SubElement(parent, "StateAssignment", variable="lastupdate", value=now)


def _weight(writer, etree, ctype, component, syn) -> str | None:
    """Per-synapse parameters: uniform ones become constants; one that differs
    between synapses becomes NeuroML's weight times a unit value."""
    varying = None
    for entry in syn.equations.entries:
        if entry.kind != "parameter" or "summed" in entry.flags:
            continue
        values = np.asarray(getattr(syn, entry.name + "_"), dtype=float)
        if values.size and np.ptp(values) > 0:
            if varying is not None:
                raise UnsupportedNeuroMLError(
                    f"{syn.name!r}: {varying} and {entry.name} both differ between "
                    f"synapses; NeuroML connections carry one weight")
            varying = entry.name
            scale = float(np.max(np.abs(values))) or 1.0
            writer.weights[syn.name] = values / scale
            etree.SubElement(ctype, "Parameter", name=f"{entry.name}_unit",
                             dimension=writer.dimension(entry.dim))
            component.set(f"{entry.name}_unit", writer.value(scale, entry.dim))
            etree.SubElement(ctype, "Property", name="weight", dimension="none",
                             defaultValue="1")
        else:   # a plastic one starts from it: name_init
            name = entry.name + ("_init" if entry.name in plastic_names(syn) else "")
            etree.SubElement(ctype, "Parameter", name=name,
                             dimension=writer.dimension(entry.dim))
            component.set(name, writer.value(values[0] if values.size else 0.0, entry.dim))
    return varying
