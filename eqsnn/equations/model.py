"""The :class:`Equations` object: a parsed, checked, immutable model."""
from __future__ import annotations

from typing import Mapping

import sympy

from eqsnn.equations.budget import within_budget
from eqsnn.equations.conditions import substitute
from eqsnn.equations.definitions import EquationEntry, parse_definition
from eqsnn.equations.dimensions import BUILTIN_DIMENSIONS, dimension_as_written
from eqsnn.equations.expressions import RandomIds
from eqsnn.equations.hints import did_you_mean
from eqsnn.equations.functions import rand, randn
from eqsnn.equations.lines import split_definitions
from eqsnn.equations.symbols import RESERVED_NAMES, is_noise_name, normalise_name, symbol
from eqsnn.errors import (DimensionMismatchError, EqsnnError, EquationSyntaxError,
                          SourceSpan, UnknownNameError)
from eqsnn.units import Dimension, ureg

__all__ = ["Equations", "parse_equations"]

_PER_SECOND = (1 / ureg.second).dimensionality


class Equations:
    """A model's equations, parsed to SymPy and checked.

    ``Equations(text)`` parses ``text`` (same as :func:`parse_equations`). The object is
    immutable; see docs/internals.md for the attributes.

    Parameters
    ----------
    source
        Equation text (one definition per line), or another :class:`Equations`.
    **replacements
        Names to replace before parsing, as Brian2's ``Equations(text, tau="tau_e",
        E=0*mV)``: by another name, an expression (a string) or a value (see
        :mod:`eqsnn.equations.substitution`).

    Raises
    ------
    EqsnnError
        :class:`EquationSyntaxError`, :class:`ReservedNameError`,
        :class:`UnknownNameError` or :class:`DimensionMismatchError`, pointing at the
        line.
    """

    __slots__ = ("source", "entries", "differential", "subexpressions", "parameters",
                 "noise_names", "external_names", "external_functions", "builtin_names",
                 "_substitutions")

    def __init__(self, source: "str | Equations", **replacements):
        if isinstance(source, Equations):
            source = source.source
        if not isinstance(source, str):
            raise EquationSyntaxError(
                f"equations must be given as a string, not {type(source).__name__}")
        if replacements:  # Equations("...", tau="tau_e", g=10*nS), as in Brian2
            from eqsnn.equations.substitution import substitute_names
            source = substitute_names(source, replacements)
        object.__setattr__(self, "source", source)
        # One clock for the whole model; each definition's own budget names its line.
        within_budget(self._build, what="checking the equations")

    def _build(self) -> None:
        set_, source = object.__setattr__, self.source
        ids = RandomIds()
        entries: list[EquationEntry] = []
        seen: dict[str, EquationEntry] = {}
        for definition in split_definitions(source, label="equations"):
            entry = parse_definition(definition, ids)
            if entry.name in seen:
                text = definition.text
                hint = "remove one of the definitions"
                if not text.isascii():
                    hint += (f" (names are compared in the NFKC form Python gives them: "
                             f"both lines define '{entry.name}')")
                raise EquationSyntaxError(
                    f"'{entry.name}' is defined twice (first on line {seen[entry.name].line})",
                    span=definition.span(0, len(text)), hint=hint)
            seen[entry.name] = entry
            entries.append(entry)
        set_(self, "entries", tuple(entries))
        by_kind = {kind: {e.name: e for e in entries if e.kind == kind}
                   for kind in ("differential", "subexpression", "parameter")}
        set_(self, "differential", by_kind["differential"])
        set_(self, "parameters", by_kind["parameter"])
        set_(self, "subexpressions", _dependency_order(by_kind["subexpression"], source))
        used = set().union(*(e.names for e in entries)) if entries else set()
        set_(self, "noise_names", frozenset(n for n in used if is_noise_name(n)))
        set_(self, "external_names", frozenset(
            n for n in used if n not in seen and n not in RESERVED_NAMES
            and not is_noise_name(n)))
        set_(self, "external_functions", frozenset().union(*(e.functions for e in entries)))
        set_(self, "builtin_names", frozenset().union(*(e.builtins for e in entries)))
        # A subexpression flagged (constant over dt) is a stored value (computed at the
        # start of each step, see constant_over_dt): never substituted.
        substitutions: dict[sympy.Symbol, sympy.Basic] = {}
        for name, entry in self.subexpressions.items():
            if "constant over dt" not in entry.flags:
                substitutions[symbol(name)] = substitute(entry.expr, substitutions)
        set_(self, "_substitutions", substitutions)
        self._check_internal_units()

    def __setattr__(self, name, value):
        raise AttributeError("Equations objects are immutable")

    # --- queries -----------------------------------------------------------------------
    def rhs(self, name: str) -> sympy.Expr:
        """Right-hand side of ``d<name>/dt`` with every subexpression substituted."""
        name = normalise_name(name)
        if name not in self.differential:
            raise UnknownNameError(f"'{name}' has no differential equation",
                                   hint=did_you_mean(name, self.differential))
        return self.substitute(self.differential[name].expr)

    def substitute(self, expr: sympy.Basic) -> sympy.Basic:
        """``expr`` with every subexpression replaced by its (substituted) definition."""
        return substitute(expr, self._substitutions)

    @property
    def constant_over_dt(self) -> dict[str, sympy.Basic]:
        """The subexpressions flagged ``(constant over dt)``, in the order they are
        computed at the start of each step (dependencies first), each with the other
        subexpressions substituted; the stored value of an earlier one is a symbol."""
        return {name: self.substitute(entry.expr) for name, entry in self.subexpressions.items()
                if "constant over dt" in entry.flags}

    @property
    def names(self) -> tuple[str, ...]:
        """Every defined name, in source order."""
        return tuple(e.name for e in self.entries)

    @property
    def dimensions(self) -> dict[str, Dimension]:
        """``{name: dimension}`` of every defined name."""
        return {e.name: e.dim for e in self.entries}

    def __getitem__(self, name: str) -> EquationEntry:
        name = normalise_name(name) if isinstance(name, str) else name
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        name = normalise_name(name) if isinstance(name, str) else name
        return any(e.name == name for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    # --- units -------------------------------------------------------------------------
    def check_units(self, dims: Mapping[str, Dimension]) -> None:
        """Check every definition's units, given the dimensions of the external names.

        Parameters
        ----------
        dims
            ``{name: Dimension}`` for the namespace constants (and, optionally, user
            functions: the dimension of their result). Defined names use their own units.

        Raises
        ------
        DimensionMismatchError
            Naming the definition and listing the offending terms with their units.
        UnknownNameError
            For a name found neither in the equations nor in ``dims``.
        """
        all_dims = {**dict(dims), **self.dimensions}
        for entry in self.entries:
            self._check_entry(entry, all_dims)

    def _check_internal_units(self) -> None:
        """Check, at construction, every definition that uses only defined names."""
        known = set(self.dimensions) | set(BUILTIN_DIMENSIONS)
        for entry in self.entries:
            if entry.expr is None or entry.functions:
                continue
            if all(n in known or is_noise_name(n) for n in entry.names):
                self._check_entry(entry, self.dimensions)

    def _check_entry(self, entry: EquationEntry, dims: Mapping[str, Dimension]) -> None:
        if entry.expr is None:
            return
        span = self.span(entry.name)
        try:
            dim = dimension_as_written(entry.unit_expr, dims, span=span)
        except EqsnnError as error:
            if isinstance(error, DimensionMismatchError):
                raise DimensionMismatchError(
                    f"inconsistent units in the definition of {entry.name}: "
                    f"{error.message}", span=span, hint=error.hint) from None
            raise
        want = entry.dim * _PER_SECOND if entry.kind == "differential" else entry.dim
        if dim is not None and dim != want:
            _raise_wrong_unit(entry, dim, want, span)

    def span(self, name: str) -> SourceSpan:
        """Where the definition of ``name`` is in :attr:`source` (its first line)."""
        entry = self[name]
        lines = self.source.splitlines()
        text = lines[entry.line - 1] if 0 < entry.line <= len(lines) else ""
        start = len(text) - len(text.lstrip())
        end = len(text.split("#")[0].rstrip())
        return SourceSpan(self.source, entry.line, start, max(end, start + 1), "equations")

    # --- printing and comparing -------------------------------------------------------
    def __str__(self) -> str:
        from eqsnn.equations.printing import equations_text

        return equations_text(self)

    def __repr__(self) -> str:
        return f"Equations({str(self)!r})"

    def _repr_latex_(self) -> str:
        from eqsnn.equations.printing import equations_latex

        return equations_latex(self)

    def _key(self):
        return tuple((e.name, e.kind, _normalise_random(e.expr), e.unit, e.flags, e.type)
                     for e in self.entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Equations):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __add__(self, other: "Equations | str") -> "Equations":
        """Concatenate two models (their sources, one after the other)."""
        other_source = other.source if isinstance(other, Equations) else other
        if not isinstance(other_source, str):
            return NotImplemented
        return Equations(self.source.rstrip("\n") + "\n" + other_source)


def parse_equations(text: str) -> Equations:
    """Parse equation text into an :class:`Equations` object.

    Parameters
    ----------
    text
        Definitions, one per line (see the module documentation of
        :mod:`eqsnn.equations` for the syntax).

    Returns
    -------
    Equations
    """
    return Equations(text)


def _normalise_random(expr):
    """Random call-site ids do not matter for equality: rand(3) and rand(0) compare equal."""
    if expr is None:
        return None
    calls = expr.atoms(rand, randn)
    return expr.xreplace({c: type(c)(0) for c in calls}) if calls else expr


def _raise_wrong_unit(entry: EquationEntry, dim, want, span) -> None:
    from eqsnn.equations.printing import to_text
    from eqsnn.units import format_dimension

    if entry.kind == "differential":
        message = (f"the right-hand side of d{entry.name}/dt has unit "
                   f"{format_dimension(dim)}, but {entry.name} has unit "
                   f"{format_dimension(entry.dim)}, so it must be "
                   f"{format_dimension(want)}")
        hint = ("divide by a time constant, e.g. (El - v)/tau"
                if dim == entry.dim else f"check the units in {to_text(entry.expr)}")
    else:
        message = (f"{entry.name} is declared with unit {format_dimension(want)}, but its "
                   f"definition has unit {format_dimension(dim)}")
        hint = f"change the unit after ':' or the expression {to_text(entry.expr)}"
    raise DimensionMismatchError(message, span=span, hint=hint)


def _dependency_order(subexpressions: dict[str, EquationEntry], source: str):
    """Subexpressions so that each comes after those it uses; refuse cycles."""
    ordered: dict[str, EquationEntry] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        if name in visiting:
            cycle = visiting[visiting.index(name):] + [name]
            entry = subexpressions[name]
            raise EquationSyntaxError(
                f"subexpressions depend on each other in a cycle: {' -> '.join(cycle)}",
                span=SourceSpan(source, entry.line, 0, None, "equations"),
                hint="a subexpression cannot use itself, directly or indirectly")
        visiting.append(name)
        entry = subexpressions[name]
        for dependency in sorted(entry.names & subexpressions.keys(),
                                 key=list(subexpressions).index):
            visit(dependency)
        visiting.pop()
        ordered[name] = entry

    for name in subexpressions:
        visit(name)
    return ordered
