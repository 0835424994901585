"""The derivation of a state update, step by step, for teaching.

A :class:`Derivation` is not written separately from the integrator: the engine hands a
:class:`DerivationRecorder` to every stage of the pipeline, and each stage records the
SymPy objects it has just built, with one sentence of explanation. What a student reads
is therefore exactly what the simulator runs.

Step kinds, in order: ``"model"`` (the equations as parsed), ``"scheme"`` (the method's
general formula or the standard/linear form and its closed-form solution), ``"stages"``
(the scheme with the model substituted), ``"update"`` (the simplified update, after
common-subexpression elimination), ``"code"`` (the generated code lines).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy

__all__ = ["Derivation", "DerivationStep", "DerivationRecorder", "ddt"]

STEP_KINDS = ("model", "scheme", "stages", "update", "code")


def ddt(x: sympy.Symbol) -> sympy.Derivative:
    """``dx/dt`` as an unevaluated SymPy derivative, for displaying ODEs."""
    from eqsnn.equations.symbols import TIME
    return sympy.Derivative(x, TIME, evaluate=False)


@dataclass(frozen=True)
class DerivationStep:
    """One step: a kind, a title, a sentence, and the SymPy equations (and/or code).

    ``equations`` holds ``(lhs, rhs)`` pairs of SymPy objects: the symbolic content a
    test (or a curious student) can inspect; ``code`` holds generated code lines.
    """

    kind: str
    title: str
    sentence: str
    equations: tuple[tuple[sympy.Expr, sympy.Expr], ...] = ()
    code: tuple[str, ...] = ()

    def rhs(self, lhs: sympy.Expr) -> sympy.Expr:
        """The right-hand side recorded for ``lhs`` (KeyError if there is none)."""
        for left, right in self.equations:
            if left == lhs:
                return right
        raise KeyError(f"no equation for {lhs} in step {self.title!r}")


@dataclass(frozen=True)
class Derivation:
    """The ordered steps that turned a model into its state-update statements."""

    method: str
    steps: tuple[DerivationStep, ...]

    def step(self, kind: str) -> DerivationStep:
        """The first step of ``kind`` (one of ``model scheme stages update code``)."""
        for step in self.steps:
            if step.kind == kind:
                return step
        raise KeyError(f"this derivation has no {kind!r} step")

    # --- rendering ----------------------------------------------------------------------
    def to_text(self) -> str:
        lines = [f"Derivation of the state update (method: {self.method})"]
        for number, step in enumerate(self.steps, 1):
            lines += ["", f"{number}. {step.title}", f"   {step.sentence}"]
            lines += [f"     {_text(lhs)} = {_text(rhs)}" for lhs, rhs in step.equations]
            lines += [f"     {line}" for line in step.code]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        parts = [f"### Derivation of the state update (method: `{self.method}`)"]
        for number, step in enumerate(self.steps, 1):
            parts.append(f"**{number}. {step.title}** {step.sentence}")
            if step.equations:
                parts.append("$$\n\\begin{aligned}\n" + _aligned(step.equations)
                             + "\n\\end{aligned}\n$$")
            if step.code:
                parts.append("```c\n" + "\n".join(step.code) + "\n```")
        return "\n\n".join(parts)

    def to_latex(self) -> str:
        parts = [f"\\paragraph{{Derivation of the state update (method: "
                 f"\\texttt{{{_tex_escape(self.method)}}})}}"]
        for number, step in enumerate(self.steps, 1):
            parts.append(f"\\textbf{{{number}. {_tex_escape(step.title)}}} "
                         f"{_tex_escape(step.sentence)}")
            if step.equations:
                parts.append("\\begin{align*}\n" + _aligned(step.equations) + "\n\\end{align*}")
            if step.code:
                parts.append("\\begin{verbatim}\n" + "\n".join(step.code) + "\n\\end{verbatim}")
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        # Jupyter renders _repr_latex_ with MathJax, which needs math mode throughout.
        rows = []
        for number, step in enumerate(self.steps, 1):
            rows.append(f"&\\text{{{number}. {_tex_escape(step.title)}}}")
            rows += [f"{sympy.latex(lhs)} &= {sympy.latex(rhs)}" for lhs, rhs in step.equations]
            rows += [f"&\\texttt{{{_tex_escape(line)}}}" for line in step.code]
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


@dataclass
class DerivationRecorder:
    """Collects steps while the pipeline builds a state update (mutable, then frozen)."""

    steps: list[DerivationStep] = field(default_factory=list)

    def add(self, kind: str, title: str, sentence: str, equations=(), code=()) -> None:
        if kind not in STEP_KINDS:
            raise ValueError(f"unknown derivation step kind {kind!r}")
        pairs = tuple((lhs, rhs) for lhs, rhs in equations)
        self.steps.append(DerivationStep(kind, title, sentence, pairs, tuple(code)))

    def freeze(self, method: str) -> Derivation:
        return Derivation(method, tuple(self.steps))


def _text(expr) -> str:
    if isinstance(expr, sympy.Derivative):
        return f"d{expr.expr}/d{expr.variables[0]}"
    return sympy.sstr(expr)


def _aligned(equations) -> str:
    return " \\\\\n".join(f"{sympy.latex(lhs)} &= {sympy.latex(rhs)}" for lhs, rhs in equations)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%",
                "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}"}


def _tex_escape(text: str) -> str:
    # One pass, so the braces of an inserted \textbackslash{} are not escaped again.
    return re.sub(r"[\\_&%#${}]", lambda m: _TEX_SPECIAL[m.group(0)], text)
