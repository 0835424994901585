"""How a derivation's SymPy objects are printed: LaTeX a renderer accepts, and plain text.

Names follow the conventions of a textbook, not of SymPy's default printer:

* a single letter is an italic variable (``v``, ``I``); a Greek name is the Greek letter
  (``tau`` → τ, ``Delta_T`` → Δ_T); ``tau`` followed by a short word is that time
  constant (``taum`` → τ_m, ``taupre`` → τ_pre, as Brian2's examples name them);
* an underscore starts a subscript when the part before it is one letter or a Greek
  name (``g_Na`` → g_Na with "Na" upright, ``x_inf`` → x_∞, ``tau_m`` → τ_m);
  otherwise the name is one word, printed upright (``not_refractory``, ``El``);
* trailing digits of a one-letter name are a subscript (``a1`` → a_1);
* units are upright, with their prefixes (``mV``, ``us`` → μs, ``Mohm`` → MΩ,
  ``cm2`` → cm²); ``dt`` is Δt;
* the pipeline's temporaries are shown for what they are: ``_k2_v`` → k_{2,v} (the
  second Runge–Kutta stage of v), ``_dW_xi`` → ΔW_ξ, ``_cse3`` → cse_3 (a common
  subexpression), ``_v_new`` → v_new.

Long right-hand sides are broken over several lines of an ``aligned`` block, at the
top-level ``+``/``-`` of a sum (inside a bracket if the sum is bracketed).

Plain text prints matrices as nested lists (a 1×1 matrix as its entry), derivatives
as ``dv/dt`` and powers as ``^``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

__all__ = ["latex", "latex_name", "text", "aligned_rows", "LINE_WIDTH"]

#: Roughly how many characters of visible mathematics fit on one line of a page.
LINE_WIDTH = 72

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau",
          "upsilon", "phi", "chi", "psi", "omega"}
_UPPER_GREEK = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
                "Psi", "Omega"}
_SPECIAL_SUBSCRIPTS = {"inf": r"\infty", "infty": r"\infty"}
_TEMPORARY = re.compile(r"^_(k|g)(\d+)_(.+)$")       # Runge–Kutta stages
_CSE = re.compile(r"^_cse(\d+)$")
_TAU_WORD = re.compile(r"^tau([a-z]{1,5})$")          # taum, taue, taupre, taupost


def latex_name(name: str) -> str:
    """The LaTeX of a name (symbol or function), see the module docstring."""
    return _latex_name(name)


@lru_cache(maxsize=4096)
def _latex_name(name: str) -> str:
    if name == "dt":
        return r"\Delta t"
    if name.endswith("'"):  # a derivative: g' (Milstein's scheme)
        stripped = name.rstrip("'")
        return _latex_name(stripped) + "'" * (len(name) - len(stripped))
    if name == "dW":
        return r"\Delta W"
    unit = _unit(name)
    if unit is not None:
        return unit
    match = _TEMPORARY.match(name)
    if match:
        letter, stage, variable = match.groups()
        return f"{letter}_{{{stage},{_latex_name(variable)}}}"
    match = _CSE.match(name)
    if match:
        return r"\mathrm{cse}_{" + match.group(1) + "}"
    if name.startswith("_dW_"):
        return rf"\Delta W_{{{_latex_name(name[4:])}}}"
    if name.startswith("_") and name.endswith("_new"):
        return _latex_name(name[1:])
    if name.startswith("_"):
        return _word(name.lstrip("_"))
    base, *subscripts = name.split("_")
    if subscripts and all(subscripts) and _is_letter_like(base):
        return _base(base) + "_{" + ",".join(_subscript(s) for s in subscripts) + "}"
    if not subscripts:
        tau = _TAU_WORD.match(name)
        if tau and tau.group(1) not in _GREEK:
            return r"\tau_{" + _subscript(tau.group(1)) + "}"
        digits = re.match(r"^([A-Za-z])(\d+)$", name)
        if digits:
            return f"{digits.group(1)}_{{{digits.group(2)}}}"
        if _is_letter_like(name):
            return _base(name)
    return _word(name)


def _is_letter_like(part: str) -> bool:
    return len(part) == 1 and part.isalpha() or part in _GREEK or part in _UPPER_GREEK


def _base(part: str) -> str:
    return "\\" + part if part in _GREEK or part in _UPPER_GREEK else part


def _subscript(part: str) -> str:
    if part in _SPECIAL_SUBSCRIPTS:
        return _SPECIAL_SUBSCRIPTS[part]
    if _is_letter_like(part) or part.isdigit():
        return _base(part)
    return _word(part)


def _word(text: str) -> str:
    return r"\mathrm{" + text.replace("_", r"\_") + "}"


_PREFIXES = {"u": r"\mu ", "M": "M", "G": "G", "k": "k", "m": "m", "n": "n", "p": "p"}


def _unit(name: str) -> str | None:
    """Upright LaTeX of a unit name with at least two letters (``mV``, ``ohm``), else
    None. One-letter units (``V``, ``m``) are left to be variables: in a model ``m`` is
    a gating variable far more often than a metre."""
    if len(name) < 2 or name not in _unit_names():
        return None
    body, power = (name[:-1], "^{2}") if name.endswith("2") else (name, "")
    if body.endswith("ohm"):
        prefix = body[:-3]
        return r"\mathrm{" + _PREFIXES.get(prefix, prefix) + r"\Omega}" + power
    if body[0] == "u" and len(body) > 1:
        return r"\mathrm{\mu " + body[1:] + "}" + power
    return r"\mathrm{" + body + "}" + power


@lru_cache(maxsize=1)
def _unit_names() -> frozenset[str]:
    from eqsnn.units import UNIT_NAMES  # pint is loaded only when a derivation is printed
    return frozenset(UNIT_NAMES)


class _Latex(LatexPrinter):
    def _print_Symbol(self, expr, style="plain"):
        return latex_name(expr.name)

    def _print_Derivative(self, expr):
        (variable, count), = expr.variable_count
        power = f"^{{{count}}}" if count > 1 else ""
        d = r"\mathrm{d}"
        return (rf"\frac{{{d}{power} {self._print(expr.expr)}}}"
                rf"{{{d} {self._print(variable)}{power}}}")

    def _print_Function(self, expr, exp=None):
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        name = expr.func.__name__
        head = latex_name(name) if _is_letter_like(name.split("_")[0]) \
            else r"\operatorname{" + name.replace("_", r"\_") + "}"
        args = ", ".join(self._print(a) for a in expr.args)
        result = rf"{head}\left({args}\right)"
        return f"{result}^{{{exp}}}" if exp is not None else result

    def _print_exprel(self, expr, exp=None):
        result = rf"\operatorname{{exprel}}\left({self._print(expr.args[0])}\right)"
        return f"{result}^{{{exp}}}" if exp is not None else result


_LATEX = _Latex({"mul_symbol": None})


def latex(expr) -> str:
    """The LaTeX of one SymPy expression (math mode, no delimiters)."""
    return _LATEX.doprint(expr)


def _visible_width(tex: str) -> int:
    """Characters a reader sees, roughly: commands and braces do not count."""
    stripped = re.sub(r"\\(left|right|mathrm|operatorname|frac|quad)\b|[{}^_\\ ]", "", tex)
    return len(re.sub(r"\\[A-Za-z]+", "x", stripped))


def _break(expr, width: int) -> list[str]:
    """The LaTeX of ``expr`` as one or more lines, each at most ~``width`` wide."""
    whole = latex(expr)
    if _visible_width(whole) <= width:
        return [whole]
    if isinstance(expr, sympy.Add):
        return _break_sum(expr, width)
    if isinstance(expr, sympy.Mul):
        bracketed = _bracketed_sum(expr)
        if bracketed is not None:
            prefix, inner = bracketed
            lines = _break_sum(inner, width - _visible_width(prefix))
            if len(lines) > 1:
                first = prefix + r"\left(" + lines[0] + r"\right."
                middle = [r"\left." + line + r"\right." for line in lines[1:-1]]
                return [first, *middle, r"\left." + lines[-1] + r"\right)"]
    return [whole]


def _break_sum(expr: sympy.Add, width: int) -> list[str]:
    lines, current = [], ""
    for position, term in enumerate(_LATEX._as_ordered_terms(expr)):
        negative = term.could_extract_minus_sign()
        magnitude = -term if negative else term
        sign = "- " if negative else ("" if position == 0 else "+ ")
        if isinstance(magnitude, sympy.Add):
            pieces = [rf"\left({latex(magnitude)}\right)"]
        else:  # a long product is broken inside its bracket
            pieces = _break(magnitude, width - 4)
        pieces = [sign + pieces[0], *pieces[1:]]
        for piece in pieces:
            if current and _visible_width(current + piece) > width:
                lines.append(current)
                current = "{} " + piece  # "{}" keeps a sign binary on a new line
            else:
                current = f"{current} {piece}" if current else piece
    lines.append(current)
    return lines


def _bracketed_sum(expr: sympy.Mul):
    """``(prefix, sum)`` for a product whose largest factor is a sum, else None."""
    numerator, denominator = sympy.fraction(expr)
    if denominator != 1 and isinstance(numerator, sympy.Add):
        return r"\frac{1}{" + latex(denominator) + "}", numerator
    sums = [f for f in expr.args if isinstance(f, sympy.Add)]
    if not sums:
        return None
    inner = max(sums, key=lambda f: len(latex(f)))
    rest = sympy.Mul(*[f for f in expr.args if f is not inner])
    if rest == -1:
        return "-", inner
    return latex(rest) + " ", inner


def aligned_rows(equations, width: int = LINE_WIDTH) -> str:
    """The body of an ``aligned`` (or ``align*``) block: ``lhs &= rhs`` rows, long
    right-hand sides continued on further rows indented by a quad."""
    rows = []
    for lhs, rhs in equations:
        left = latex(lhs)
        lines = _break(rhs, width - _visible_width(left))
        rows.append(f"{left} &= {lines[0]}")
        rows += [rf"&\quad {line}" for line in lines[1:]]
    return " \\\\\n".join(rows)


class _Text(StrPrinter):
    def _print_Derivative(self, expr):
        (variable, count), = expr.variable_count
        power = f"^{count}" if count > 1 else ""
        return f"d{power}{self._print(expr.expr)}/d{self._print(variable)}{power}"

    def _print_MatrixBase(self, expr):
        if expr.shape == (1, 1):
            return self._print(expr[0, 0])
        return "[" + ", ".join("[" + ", ".join(self._print(e) for e in expr.row(i)) + "]"
                               for i in range(expr.rows)) + "]"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Integral(self, expr):
        (variable, low, high), = expr.limits
        return (f"(integral from {self._print(low)} to {self._print(high)} of "
                f"{self._print(expr.function)} d{self._print(variable)})")


_TEXT = _Text()


def text(expr) -> str:
    """Plain text of one SymPy expression, as a person would type it."""
    return _TEXT.doprint(expr)
