"""Names that have a value only inside the simulation loop, refused in strings that
Python evaluates (``G.v = "..."``, ``G.v["..."]``, ``S.w = "..."``, a PoissonInput's
weight).

Such a string is evaluated when it is set, by walking its tree with numpy
(:mod:`eqsnn.runtime.evaluate`), outside any run. ``dt`` belongs to the network the group
runs in, which the group does not know yet; ``not_refractory`` (``not_refractory_pre``,
``not_refractory_post`` in a synapse's strings) is computed by the loop from the time of
the last spike, unless a string refractoriness keeps it as a variable of the group.
Brian2 reads both here (the clock's ``dt``; ``not_refractory`` is always a variable
there); eqsnn refuses them when the string is lowered, pointing at the name.
"""
from __future__ import annotations

from typing import Iterable

from eqsnn.errors import SourceSpan, UnsupportedEquationsError
from eqsnn.lowering.namespace import find_span

__all__ = ["refuse_loop_only_names", "NEURON_LOOP_ONLY", "SYNAPSE_LOOP_ONLY"]

#: A neuron string's names with no value in Python, unless the group holds them.
NEURON_LOOP_ONLY = ("dt", "not_refractory")
#: ... and a synapse string's (``dt`` and the neurons' refractoriness).
SYNAPSE_LOOP_ONLY = ("dt", "not_refractory_pre", "not_refractory_post")


def refuse_loop_only_names(expr, text: str, label: str, loop_only: Iterable[str]) -> None:
    """Raise if ``expr`` (the string's expression, its subexpressions substituted)
    reads one of ``loop_only``; the caret is at the name in ``text``, or under the
    whole text when it comes from a subexpression."""
    used = {s.name for s in expr.free_symbols}
    for name in sorted(set(loop_only) & used):
        span = find_span(text, name, label)
        through = ""
        if span is None:
            span, through = SourceSpan(text, 1, 0, len(text), label), \
                " (through a subexpression it uses)"
        raise UnsupportedEquationsError(
            f"{name!r} cannot be read in a value or index set from Python{through}: it has "
            f"a value only inside the simulation loop", span=span, hint=_HINTS[
                name.replace("_pre", "").replace("_post", "")])


_HINTS = {
    "dt": "the step belongs to the network the group runs in: write it as a number "
          "(e.g. 0.1*ms) or pass it by another name (namespace={'step': 0.1*ms}); to "
          "compute with dt, set the value in a run_regularly or a network operation",
    "not_refractory": "the loop computes it from the last spike: give the group a string "
                      "refractoriness (refractory='2*ms') to keep it as a variable that "
                      "strings can read, or set the value in a run_regularly",
}
