"""The derivation of a state update, step by step, for teaching.

A :class:`Derivation` is not written separately from the integrator: the engine hands a
:class:`DerivationRecorder` to every stage of the pipeline, and each stage records the
SymPy objects it has just built, with one sentence of explanation. What a student reads
is therefore exactly what the simulator runs.

Step kinds, in order: ``"model"`` (the equations as parsed), ``"scheme"`` (the method's
general formula or the standard/linear form and its closed-form solution), ``"stages"``
(the scheme with the model substituted), ``"update"`` (the simplified update, after
common-subexpression elimination), ``"code"`` (that update printed as code lines, before
the build stage rewrites it), and, added by :func:`eqsnn.derive` (in
:mod:`eqsnn.lowering.teaching`), ``"loop"`` (the statements the compiled loop runs). A step may
state the assumption it rests on (linear in x? coefficients constant over a step?), so a
reader sees where a method's error, or its exactness, comes from.

Printing is in :mod:`eqsnn.integrators.rendering`: LaTeX that KaTeX and TeX accept
(``tests/test_latex_render.py`` renders every built-in derivation), and plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy

from eqsnn.integrators.rendering import aligned_rows, text

__all__ = ["Derivation", "DerivationStep", "DerivationRecorder", "ddt"]

STEP_KINDS = ("model", "scheme", "stages", "update", "code", "loop")


def ddt(x: sympy.Symbol) -> sympy.Derivative:
    """``dx/dt`` as an unevaluated SymPy derivative, for displaying ODEs."""
    from eqsnn.equations.symbols import TIME
    return sympy.Derivative(x, TIME, evaluate=False)


@dataclass(frozen=True, repr=False)
class DerivationStep:
    """One step: a kind, a title, a sentence, and the SymPy equations (and/or code).

    ``equations`` holds ``(lhs, rhs)`` pairs of SymPy objects: the symbolic content a
    test (or a curious student) can inspect; ``code`` holds generated code lines;
    ``assumption`` what the step takes for granted ("" if it is pure algebra).
    """

    kind: str
    title: str
    sentence: str
    equations: tuple[tuple[sympy.Expr, sympy.Expr], ...] = ()
    code: tuple[str, ...] = ()
    assumption: str = ""

    def to_text(self, number: int | None = None) -> str:
        """The step as plain text (``number``: its place in the derivation)."""
        lines = [f"{f'{number}. ' if number else ''}{self.title}", f"   {self.sentence}"]
        if self.assumption:
            lines.append(f"   Assumption: {self.assumption}")
        lines += [f"     {text(lhs)} = {text(rhs)}" for lhs, rhs in self.equations]
        lines += [f"     {line}" for line in self.code]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def rhs(self, lhs: sympy.Expr) -> sympy.Expr:
        """The right-hand side recorded for ``lhs`` (KeyError if there is none)."""
        for left, right in self.equations:
            if left == lhs:
                return right
        raise KeyError(f"no equation for {lhs} in step {self.title!r}")


@dataclass(frozen=True, repr=False)
class Derivation:
    """The ordered steps that turned a model into its state-update statements."""

    method: str
    steps: tuple[DerivationStep, ...]

    def step(self, kind: str) -> DerivationStep:
        """The first step of ``kind`` (one of ``model scheme stages update code loop``)."""
        for step in self.steps:
            if step.kind == kind:
                return step
        raise KeyError(f"this derivation has no {kind!r} step")

    # --- rendering ----------------------------------------------------------------------
    def to_text(self) -> str:
        parts = [f"Derivation of the state update (method: {self.method})"]
        parts += [step.to_text(number) for number, step in enumerate(self.steps, 1)]
        return "\n\n".join(parts)

    def to_markdown(self) -> str:
        """Markdown with ``$$…$$`` display math; no heading, so it fits under the
        caller's own (a model page's "Derivation of the update step")."""
        parts = [f"Derivation of the state update (method: `{self.method}`)."]
        for number, step in enumerate(self.steps, 1):
            parts.append(f"**{number}. {step.title}** {step.sentence}"
                         + (f" *Assumption:* {step.assumption}" if step.assumption else ""))
            if step.equations:
                parts.append("$$\n\\begin{aligned}\n" + aligned_rows(step.equations)
                             + "\n\\end{aligned}\n$$")
            if step.code:
                parts.append("```c\n" + "\n".join(step.code) + "\n```")
        return "\n\n".join(parts)

    def to_latex(self) -> str:
        """A LaTeX fragment (``amsmath``): paragraphs, ``align*`` blocks, ``verbatim``."""
        parts = [f"\\paragraph{{Derivation of the state update (method: "
                 f"\\texttt{{{_tex_escape(self.method)}}})}}"]
        for number, step in enumerate(self.steps, 1):
            parts.append(f"\\textbf{{{number}. {_tex_escape(step.title)}}} "
                         f"{_tex_escape(step.sentence)}"
                         + (f" \\emph{{Assumption:}} {_tex_escape(step.assumption)}"
                            if step.assumption else ""))
            if step.equations:
                parts.append("\\begin{align*}\n" + aligned_rows(step.equations)
                             + "\n\\end{align*}")
            if step.code:
                parts.append("\\begin{verbatim}\n" + "\n".join(step.code)
                             + "\n\\end{verbatim}")
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    __repr__ = __str__  # typed at a prompt, a derivation reads as mathematics

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        # Jupyter renders _repr_latex_ with MathJax, which needs math mode throughout;
        # the generated code is not mathematics (print() or the Markdown shows it).
        rows = []
        for number, step in enumerate(self.steps, 1):
            if step.equations:
                rows.append(f"&\\text{{{number}. {_tex_escape(step.title)}}}")
                rows.append(aligned_rows(step.equations))
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


@dataclass
class DerivationRecorder:
    """Collects steps while the pipeline builds a state update (mutable, then frozen)."""

    steps: list[DerivationStep] = field(default_factory=list)

    def add(self, kind: str, title: str, sentence: str, equations=(), code=(), *,
            assumption: str = "") -> None:
        if kind not in STEP_KINDS:
            raise ValueError(f"unknown derivation step kind {kind!r}")
        pairs = tuple((lhs, rhs) for lhs, rhs in equations)
        self.steps.append(DerivationStep(kind, title, sentence, pairs, tuple(code),
                                         assumption))

    def freeze(self, method: str) -> Derivation:
        return Derivation(method, tuple(self.steps))


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%",
                "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}", "^": r"\textasciicircum{}",
                "~": r"\textasciitilde{}"}


def _tex_escape(text: str) -> str:
    # One pass, so the braces of an inserted \textbackslash{} are not escaped again.
    return re.sub(r"[\\_&%#${}^~]", lambda m: _TEX_SPECIAL[m.group(0)], text)


# --- rows a method shows, built here so every method states them the same way ----------
def linear_scheme_rows(states, A: sympy.Matrix, b: sympy.Matrix) -> list:
    """``A``, ``b`` (left out when zero) and the one-step solution of ``dx/dt = A x + b``.

    A one-variable system shows scalars, not 1×1 matrices; the solution is written with
    non-commuting ``A``, ``x``, ``b`` so the matrix products keep their order.
    """
    from eqsnn.equations.symbols import DT, symbol
    scalar = len(states) == 1
    A_, x_, b_ = sympy.symbols("A x b", commutative=False)
    s = symbol("s")
    rows = [(sympy.Symbol("A"), A[0, 0] if scalar else A)]
    solution = sympy.exp(A_ * DT) * x_
    if any(entry != 0 for entry in b):
        rows.append((sympy.Symbol("b"), b[0] if scalar else b))
        solution += sympy.Integral(sympy.exp(A_ * s), (s, 0, DT)) * b_
    return rows + [(sympy.Symbol("x_new"), solution)]


def standard_form_rows(system, x: sympy.Symbol) -> list:
    """``tau_x``, ``x_inf`` and ``x_new`` of ``dx/dt = (x_inf - x)/tau_x``, as a
    textbook writes them: with the subexpressions of the model kept as symbols
    (``tau_m = 1/(alpha_m + beta_m)``, not α and β expanded), and the update in terms of
    ``tau_x`` and ``x_inf``. Only subexpressions that depend on ``x`` are substituted
    (the form is linear in ``x`` only once they are).
    """
    from eqsnn.equations.symbols import DT, symbol
    f = _written_in(system, x)
    A = sympy.diff(f, x)
    tau, inf = _tidy(-1 / A), _tidy(f.xreplace({x: 0}) * (-1 / A))
    names = {s.name for e in system.drift.values() for s in e.free_symbols}
    tau_name, inf_name = f"tau_{x.name}", f"{x.name}_inf"
    tau_s = symbol(tau_name if tau_name not in names or tau == symbol(tau_name)
                   else f"tau_{x.name}_eff")
    inf_s = symbol(inf_name if inf_name not in names else f"{x.name}_inf_eff")
    return [(tau_s, tau), (inf_s, inf),
            (symbol(f"{x.name}_new"), inf_s + (x - inf_s) * sympy.exp(-DT / tau_s))]


def _written_in(system, x: sympy.Symbol) -> sympy.Expr:
    """The right-hand side for ``x`` as written, with the subexpressions that depend on
    ``x`` substituted (recursively) and the others left as symbols."""
    if system.written is None or x not in system.written:
        return system.drift[x]
    expr = system.written[x].xreplace({xi: 0 for xi in system.diffusion.get(x, {})})
    full: dict = {}
    for name, definition in system.subexpressions.items():  # in dependency order
        full[name] = definition.xreplace(full)
    depends = {name: value for name, value in full.items() if value.has(x)}
    return expr.xreplace(depends)


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """A short form for reading (``-C/(-g - h)`` → ``C/(g + h)``); the expression as it
    is where SymPy fails or takes long (this is for display only: simplify() raised
    TypeError on conditions over rand() and ran for minutes on Wang-Buzsaki's rates)."""
    from eqsnn.equations.budget import within_budget
    from eqsnn.errors import SymbolicTimeoutError

    def tidied():
        if sympy.count_ops(expr) > 60:
            return sympy.factor_terms(sympy.cancel(expr))
        return sympy.simplify(sympy.factor_terms(expr))

    try:
        return within_budget(tidied, what="tidying a derivation step", seconds=_TIDY_SECONDS)
    except (SymbolicTimeoutError, TypeError, ValueError, ArithmeticError, RecursionError):
        return expr


_TIDY_SECONDS = 2.0
