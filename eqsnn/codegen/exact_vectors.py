"""Whether a pathway's generated C gives the same bits for a synapse in a vector as alone.

A dense piece of a row (runtime/propagation.py, ``_dense_pieces``) is walked by a loop
gcc vectorises (templates/synapses_pathway.c.j2); where a piece starts and ends depends
on the thread count, so a synapse runs in a vector lane on one count and in the scalar
remainder of the loop on another. The results stay the same bit for bit only if the
vector and the scalar versions of the code round alike. With eqsnn's flags
(``-ffast-math`` but finite math) two things can make them differ:

* calls whose vector versions are other functions: glibc's scalar exp, log, sin, ...
  and libmvec's vector ones differ in the last bits (randn's Box-Muller calls log and
  cos; a user's function is unknown);
* reassociation (``-fassociative-math``): gcc may regroup a chain of three or more
  additions or multiplications, and how it regroups depends on the code around it.

So the dense loop is used only for code (:func:`exact_in_vectors`) that calls nothing
but :data:`EXACT_CALLS` (IEEE's exact operations, selections, and ``eqsnn_uniform``:
integer hashing and an exact conversion) and whose every chain of ``+``/``-`` and of
``*``/``/`` has at most two operands (not counting the not-refractory flags, 0 or 1:
any grouping of a product with them gives the same bits), also through a value an
earlier line of the code wrote: ``v_post += w``, ``ge += w*nS``, ``w = clip(w + Apost,
0, gmax)``, ``v_post += w`` onto neurons with ``(unless refractory)``. A multiply
feeding an add (``ge + 1e-6*w``) becomes one fused multiply-add in both versions (a
pattern of the same two operations, not a regrouping). Everything else keeps the loop
through the targets, as before dense pieces existed.
"""
from __future__ import annotations

import re

from eqsnn.lowering.names import NOT_REFRACTORY

__all__ = ["EXACT_CALLS", "exact_in_vectors"]

#: the C functions of generated code that give the same bits in a vector lane as alone
EXACT_CALLS = frozenset({"fabs", "floor", "ceil", "trunc", "fmin", "fmax", "sqrt",
                         "eqsnn_clip", "eqsnn_uniform"})

#: the not-refractory flags of synaptic code (1.0 or 0.0): a product with them is exact
#: whatever the grouping, so they do not lengthen a chain of products
FLAGS = frozenset(NOT_REFRACTORY.values())

_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
                    r"|(?P<name>[A-Za-z_]\w*(?:\[[^\]]*\])?)|(?P<op>[-+*/(),]))")
_LINE = re.compile(r"^\s*([A-Za-z_]\w*(?:\[[^\]]*\])?)\s*=\s*(.*);\s*$")


class _Unknown(Exception):
    """Code this module does not read: not known to be exact."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise _Unknown(text[at:])
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        at = match.end()
    return out


class _Parser:
    """A tree of C's arithmetic: ("+", [terms]), ("*", [factors]), ("call", name, [args]),
    ("leaf", text); ``values`` substitutes what earlier lines wrote."""

    def __init__(self, tokens, values):
        self.tokens, self.at, self.values = tokens, 0, values

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, op=None):
        token = self.peek()
        if op is not None and token != ("op", op):
            raise _Unknown(op)
        self.at += 1
        return token

    def expression(self):
        return self._chain(self.term, ("+", "-"), "+")

    def term(self):
        return self._chain(self.unary, ("*", "/"), "*")

    def _chain(self, operand, ops, kind):
        """operand (op operand)*: one operand alone, else (kind, [operands])."""
        operands = [operand()]
        while self.peek() in [("op", op) for op in ops]:
            self.take()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else (kind, operands)

    def unary(self):
        if self.peek() in (("op", "-"), ("op", "+")):
            self.take()
            operand = self.unary()
            # a negated number is a number; a negated expression joins an additive chain
            return operand if operand[0] == "leaf" and operand[2] else ("+", [operand])
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "number":
            return ("leaf", text, True)
        if kind == "op" and text == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take("(")
                if text not in EXACT_CALLS:
                    raise _Unknown(text)
                args = [] if self.peek() == ("op", ")") else [self.expression()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.expression())
                self.take(")")
                return ("call", text, args)
            return self.values.get(text, ("leaf", text, False))
        raise _Unknown(text)


def _chains_short(tree) -> bool:
    """Whether every chain of the same associative kind has at most two operands (a
    chain continues through children of the same kind)."""
    kind = tree[0]
    if kind == "leaf":
        return True
    if kind == "call":
        return all(_chains_short(arg) for arg in tree[2])
    operands = _operands(tree, kind)
    if kind == "*":  # (a factor 0.0 or 1.0 gives the same bits in any grouping)
        operands = [o for o in operands if not (o[0] == "leaf" and o[1] in FLAGS)]
    return len(operands) <= 2 and all(_chains_short(operand) for operand in operands)


def _operands(tree, kind):
    if tree[0] != kind:
        return [tree]
    return [leaf for child in tree[1] for leaf in _operands(child, kind)]


def exact_in_vectors(lines, functions: bool = False) -> bool:
    """Whether the statements ``lines`` (a pathway's generated C, one assignment a line)
    compute the same bits for a synapse in a vector as alone (see the module's text).
    ``functions``: the object has user functions (never exact)."""
    if functions:
        return False
    values: dict[str, tuple] = {}
    try:
        for line in lines:
            match = _LINE.match(line)
            if match is None:
                raise _Unknown(line)
            target, text = match.groups()
            parser = _Parser(_tokens(text), values)
            tree = parser.expression()
            if parser.at != len(parser.tokens):
                raise _Unknown(text)
            if not _chains_short(tree):
                return False
            values[target] = tree
    except _Unknown:
        return False
    return True
