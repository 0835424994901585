"""One LEMS ``<Dynamics>`` → eqsnn equations, threshold, reset and refractoriness.

The translation is generic: it reads the ComponentType definition (for NeuroML's core
cells, the one jNeuroML itself simulates), not a table of hand-written models.

=====================================  ==============================================
LEMS                                    eqsnn
=====================================  ==============================================
``StateVariable`` + ``TimeDerivative``  ``dx/dt = ... : unit``
``StateVariable`` alone                 a parameter ``x : unit`` (changed by resets)
``DerivedVariable value=``              a subexpression ``x = ... : unit``
``DerivedVariable select= reduce=add``  the sum of the attached inputs' currents
``ConditionalDerivedVariable``          ``c1*(v1) + (not c1)*(...)``
``OnStart``                             initial values (string initialisers)
``OnCondition`` with ``EventOut``       ``threshold`` and ``reset``
``OnCondition`` without ``EventOut``    ``dx/dt = (target - x)/dt``: under forward
                                        Euler exactly the assignment, every step
``OnEvent port="in"``                   ``on_pre`` of a synapse
two ``Regime``\\ s: integrating and      ``refractory=`` and ``(unless refractory)``
refractory (``t .gt. tLast + refract``)
=====================================  ==============================================

Anything else (``KineticScheme``, ``Structure``, other regimes) is an
:class:`~eqsnn.neuroml.errors.UnsupportedNeuroMLError` at its XML line.
"""
from __future__ import annotations

from typing import Callable

from eqsnn.neuroml.dimensions import si_quantity, unit_string
from eqsnn.neuroml.dynamics_elements import DynamicsElements
from eqsnn.neuroml.expressions import ExpressionError, evaluate
from eqsnn.neuroml.lems import Component, Library
from eqsnn.neuroml.translation import Context, Translated, eqsnn_name

__all__ = ["Translated", "translate_component", "eqsnn_name"]


def translate_component(lib: Library, component: Component, *,
                        requirements: dict[str, str] | None = None,
                        sums: Callable | None = None,
                        per_item_properties: bool = False, prefix: str = "",
                        each_step: str = "euler", end_of_step_time: bool = False,
                        post_lag: int = 1) -> Translated:
    """Translate ``component``'s ComponentType dynamics, with its parameter values.

    Parameters
    ----------
    requirements
        How a ``Requirement`` is read here (``{"v": "v_post"}`` inside synapses).
    sums
        ``sums(attachment, exposure, element)`` → the eqsnn names whose sum a
        ``DerivedVariable select="synapses[*]/i" reduce="add"`` stands for.
    per_item_properties
        Properties (``weight``) become per-synapse parameters instead of constants.
    prefix
        Put before every name of the component (an input's names inside its target).
    each_step
        How a variable set by ``OnCondition`` elements without events is written:
        ``"euler"``, an equation whose forward-Euler step is the assignment; or
        ``"expression"``, a subexpression: the value of the last condition that holds
        (else its ``OnStart`` value, else 0) — for inputs whose state is a function of
        time only (``pulseGenerator``).
    end_of_step_time
        Read LEMS's ``t`` as ``t + dt`` everywhere: an input that jNeuroML updates at
        the end of a step, before the cell that reads it.
    post_lag
        Steps from a postsynaptic spike to jNeuroML's condition of a synapse on its
        target's spike count (see :func:`eqsnn.neuroml.export_plasticity.post_lag`).
    """
    rtype = lib.resolve(component.type, component.element)
    ctx = Context(lib, rtype, component, dict(requirements or {}),
                   sums or (lambda *_: []), per_item_properties, prefix, each_step)
    ctx.time_shift = end_of_step_time
    ctx.post_lag = post_lag
    _constants(ctx)
    if rtype.structure is not None and len(rtype.structure):
        raise ctx.unsupported(rtype.structure, "a <Structure> (child instances, event "
                                               "connections)")
    if rtype.dynamics is not None:
        DynamicsElements(ctx, rtype.dynamics).translate()
    return ctx.out


# --- parameters, constants, derived parameters, properties --------------------------------
def _constants(ctx: Context) -> None:
    lib, rtype, component, out = ctx.lib, ctx.rtype, ctx.component, ctx.out
    taken: set[str] = set()

    def add(name: str, value: float, dim_name: str, where) -> None:
        eq_name = ctx.prefix + eqsnn_name(name, taken)
        taken.add(eq_name)
        out.names[name] = eq_name
        dim = ctx.dimension(dim_name, where)
        out.dims[eq_name] = dim
        ctx.values[eq_name] = value
        out.namespace[eq_name] = si_quantity(value, dim)

    for name, dim_name in rtype.parameters.items():
        text = component.attrs.get(name, rtype.fixed.get(name))
        if text is None:
            raise lib.error(component.element,
                            f"{component.type} {component.id!r} gives no value for its "
                            f"parameter {name!r} ({dim_name})",
                            hint=f'add {name}="..." to the element')
        add(name, lib.quantity(text, dim_name, component.element)[0], dim_name,
            component.element)
    for name, (dim_name, text, where) in rtype.constants.items():
        add(name, lib.quantity(text, dim_name, where)[0], dim_name, where)
    for name, (dim_name, default) in rtype.properties.items():
        text = component.attrs.get(name, default)
        value = lib.quantity(text, dim_name, component.element)[0] if text is not None else 0.0
        if ctx.per_item_properties:
            eq_name = ctx.prefix + eqsnn_name(name, taken)
            taken.add(eq_name)
            out.names[name] = eq_name
            out.dims[eq_name] = ctx.dimension(dim_name, component.element)
            out.lines.append(f"{eq_name} : {unit_string(out.dims[eq_name])}")
            out.properties[eq_name] = value
        else:
            add(name, value, dim_name, component.element)
    pending = dict(rtype.derived_parameters)
    while pending:   # derived parameters may use each other, in any order
        progress = False
        for name, (dim_name, text, where) in list(pending.items()):
            try:
                value = evaluate(ctx.expression(text, where), ctx.values)
            except ExpressionError:
                continue
            add(name, value, dim_name, where)
            del pending[name]
            progress = True
        if not progress:
            name, (_, text, where) = next(iter(pending.items()))
            raise lib.error(where, f"the derived parameter {name!r} = {text!r} is not a "
                                   f"function of parameters and constants")
