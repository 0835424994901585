"""The shared end of the pipeline: a method's :class:`Scheme` → ordered statements.

1. common-subexpression elimination over all temporaries and updates at once, so an
   expensive function (``exp``) is evaluated once per step;
2. every CSE temporary is placed right after the last statement it depends on;
3. the state assignments come last, each state assigned once, after every read of its
   old value; ``unless refractory`` states get the branch-free blend with
   ``not_refractory``;
4. the code lines of the derivation are printed from these very statements.
"""
from __future__ import annotations

import sympy
from sympy.codegen.ast import Assignment
from sympy.core.function import AppliedUndef

from eqsnn.equations.symbols import NOT_REFRACTORY, symbol
from eqsnn.errors import EqsnnError
from eqsnn.integrators.base import Scheme
from eqsnn.integrators.derivation import DerivationRecorder
from eqsnn.integrators.system import OdeSystem
from eqsnn.printers import c_statements
from eqsnn.printers.quotients import hold_quotients, release_quotients

__all__ = ["assemble", "code_lines"]


def assemble(system: OdeSystem, scheme: Scheme, recorder: DerivationRecorder
             ) -> tuple[Assignment, ...]:
    """Ordered ``Assignment`` statements obeying the contract of docs/internals.md."""
    temporaries = list(scheme.temporaries)
    states = list(system.states)
    names = [lhs for lhs, _ in temporaries]
    exprs = [rhs for _, rhs in temporaries] + [scheme.updates[x] for x in states]

    taken = {s.name for e in exprs for s in e.free_symbols} | {n.name for n in names}
    cse_names = (symbol(f"_cse{i}") for i in _count() if f"_cse{i}" not in taken)
    # floor((i - 5)/3) must reach the printers as a quotient, not as a shared _cse0 = i/3 - 5/3
    replacements, reduced = sympy.cse([hold_quotients(e) for e in exprs], symbols=cse_names,
                                      order="none")
    replacements, reduced = _inline_trivial(
        [(name, release_quotients(e)) for name, e in replacements],
        [release_quotients(e) for e in reduced])

    body = _schedule(list(zip(names, reduced[:len(names)])), replacements)
    finals = dict(zip(states, reduced[len(names):]))
    statements = _renumber(body + _state_assignments(states, finals,
                                                     system.unless_refractory, body),
                           {name for name, _ in replacements})

    updates = [(s.lhs, s.rhs) for s in statements]
    recorder.add("update", "Simplified update",
                 "Common subexpressions are computed once (temporaries _cse…); then every "
                 "state variable is assigned once, after every use of its old value"
                 + (" (variables flagged 'unless refractory' keep their value while "
                    "not_refractory is 0)" if system.unless_refractory else "") + ".",
                 updates)
    recorder.add("code", "The update as code", "The simplified update printed as C, one "
                 "line per statement (for every neuron), before the build stage rewrites "
                 "it for the compiled loop (eqsnn.derive shows that loop's statements).",
                 code=code_lines(statements))
    return tuple(statements)


def _inline_trivial(replacements, reduced):
    """Put back CSE temporaries not worth a name (``-w``, ``1/ms``, ``v/10``): they save
    no work (the compiler folds them) and only make the derivation harder to read."""
    kept, inlined = [], {}
    for name, expr in replacements:
        expr = expr.xreplace(inlined)
        if _trivial(expr):
            inlined[name] = expr
        else:
            kept.append((name, expr))
    return kept, [e.xreplace(inlined) for e in reduced]


def _trivial(expr) -> bool:
    if expr.is_Atom:
        return True
    if expr.is_Pow:  # 1/ms
        return expr.base.is_Atom and expr.exp == -1
    if expr.is_Mul and len(expr.args) == 2:  # -w, 2*x, x/10
        return any(a.is_Number for a in expr.args) and all(a.is_Atom for a in expr.args)
    return False


def _count():
    i = 0
    while True:
        yield i
        i += 1


def _renumber(statements, cse_names) -> list[Assignment]:
    """Number CSE temporaries in order of definition (``_cse0, _cse1, …``), for reading."""
    order = [s.lhs for s in statements if s.lhs in cse_names]
    taken = {sym.name for s in statements for sym in s.rhs.free_symbols | {s.lhs}}
    fresh = (f"_cse{i}" for i in _count())
    names = {}
    for old in order:
        name = next(fresh)
        while name in taken and name not in {o.name for o in order}:
            name = next(fresh)
        names[old] = symbol(name)
    return [Assignment(s.lhs.xreplace(names), s.rhs.xreplace(names)) for s in statements]


def _schedule(temporaries, replacements) -> list[Assignment]:
    """Interleave CSE replacements with the method's temporaries.

    A replacement can contain a temporary (e.g. a Runge–Kutta stage ``_k1_v``), so it
    cannot simply go first; it goes right after the last statement defining a symbol it
    reads. That is always before its first use, because any expression using it reads
    the same symbols.
    """
    out: list[Assignment] = []
    defined_at: dict[sympy.Symbol, int] = {}
    pending = list(replacements)
    for lhs, rhs in [(None, None)] + temporaries:
        if lhs is not None:
            out.append(Assignment(lhs, rhs))
            defined_at[lhs] = len(out)
        still = []
        for name, expr in pending:
            if all(s in defined_at or not s.name.startswith("_") for s in expr.free_symbols):
                out.append(Assignment(name, expr))
                defined_at[name] = len(out)
            else:
                still.append((name, expr))
        pending = still
    assert not pending, pending  # every replacement's dependencies are defined by now
    return out


def _state_assignments(states, finals, unless_refractory, body) -> list[Assignment]:
    """Assign each state once, after every read of its old value.

    A state whose new value nobody else still reads is assigned directly; if the
    remaining states read each other (a cycle), one of them goes through ``_x_new``.
    """
    remaining = list(states)
    out: list[Assignment] = []
    staged: list[Assignment] = []
    while remaining:
        for x in remaining:
            readers = [y for y in remaining if y is not x and finals[y].has(x)]
            if not readers:
                break
        else:
            x = remaining[0]
            temp = symbol(f"_{x.name}_new")
            staged.append(Assignment(temp, finals[x]))
            finals[x] = temp
            continue
        new = finals[x]
        if x in unless_refractory:
            new = NOT_REFRACTORY * new + (1 - NOT_REFRACTORY) * x
        out.append(Assignment(x, new))
        remaining.remove(x)
    return staged + out


def code_lines(statements) -> list[str]:
    """C code of the statements, printed by the printer the build stage uses for the
    network's code (:mod:`eqsnn.printers`, a library below this stage).

    User functions (``stim(t)``) print under their own names, as in the network's code.
    """
    user = sorted({call.func.__name__ for s in statements for call in s.rhs.atoms(AppliedUndef)})
    try:
        return list(c_statements(statements, user_functions={n: n for n in user}))
    except EqsnnError:
        # The printer refuses something (reported properly when the module is built);
        # the derivation still shows the statements.
        return _sympy_code(statements)


def _sympy_code(statements) -> list[str]:
    return [f"{s.lhs} = {sympy.ccode(s.rhs, allow_unknown_functions=True)};" for s in statements]
