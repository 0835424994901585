"""The equation language: what parses, into what."""
import sympy
import pytest

from eqsnn.equations import Equations, parse_equations
from eqsnn.equations.functions import clip, exprel, rand, randn
from eqsnn.equations.symbols import symbol
from eqsnn.units import ureg

v, w, tau, El, I, t = (symbol(n) for n in ("v", "w", "tau", "El", "I", "t"))


def test_three_kinds_of_definition():
    eqs = parse_equations("""
        dv/dt = (El - v + I)/tau : volt (unless refractory)
        I = 2*w : volt
        w : volt (constant)
    """)
    assert list(eqs.differential) == ["v"]
    assert list(eqs.subexpressions) == ["I"]
    assert list(eqs.parameters) == ["w"]
    entry = eqs.differential["v"]
    assert entry.kind == "differential"
    assert entry.expr == (El - v + I) / tau
    assert entry.unit == ureg.volt and entry.dim == ureg.volt.dimensionality
    assert entry.flags == frozenset({"unless refractory"})
    assert entry.line == 2
    assert eqs.parameters["w"].expr is None
    assert eqs.parameters["w"].flags == frozenset({"constant"})
    assert eqs.rhs("v") == (El - v + 2 * w) / tau
    assert eqs.external_names == frozenset({"El", "tau"})


def test_constructor_is_parse_equations():
    text = "dv/dt = -v/tau : volt\ntau : second"
    assert Equations(text) == parse_equations(text)
    assert Equations(Equations(text)) == parse_equations(text)


def test_entries_in_source_order_and_attributes():
    eqs = Equations("a : 1\ndb/dt = -b/second : 1\nc = a*b : 1")
    assert [e.name for e in eqs.entries] == ["a", "b", "c"]
    assert [e.line for e in eqs.entries] == [1, 2, 3]
    assert eqs.source.startswith("a : 1")


def test_comments_blank_lines_and_continuations():
    eqs = Equations("""
        # a model

        dv/dt = (El - v     # the leak
                 + I)/tau : volt
        dw/dt = -w/tau +
                v/tau : volt
        I = 2*El \\
            + v : volt
    """)
    assert eqs.differential["v"].expr == (El - v + I) / tau
    assert eqs.differential["w"].expr == -w / tau + v / tau
    assert eqs.subexpressions["I"].expr == 2 * El + v
    assert eqs.differential["w"].line == 6


def test_subexpressions_ordered_by_dependency():
    eqs = Equations("a = b + 1 : 1\nb = c*2 : 1\nc : 1\ndx/dt = a/second : 1")
    assert list(eqs.subexpressions) == ["b", "a"]
    x = symbol("x")
    assert eqs.rhs("x") == (symbol("c") * 2 + 1) / symbol("second")


def test_expressions_cover_the_language():
    eqs = Equations("""
        y = exp(v) + log(v) + log10(v) + sqrt(v) + sin(v) + cos(v) + tan(v) + tanh(v) + sinh(v) + cosh(v) : 1
        z = abs(v) + floor(v) + ceil(v) + sign(v) + clip(v, 0, 1) + exprel(v) + arcsin(v) + arccos(v) + arctan(v) : 1
        p = -v**2 + v % 3 + pi + e + 2.5e-3 : 1
        v : 1
    """)
    z = eqs.subexpressions["z"].expr
    assert z.has(clip) and z.has(exprel) and z.has(sympy.asin) and z.has(sympy.ceiling)
    p = eqs.subexpressions["p"].expr
    assert p.has(sympy.pi) and p.has(sympy.E)


def test_random_calls_get_distinct_ids_across_the_whole_equations():
    eqs = Equations("a = rand() + rand() : 1\nb = randn() : 1")
    ids = sorted(int(c.args[0]) for e in eqs.entries for c in e.expr.atoms(rand, randn))
    assert ids == [0, 1, 2]


def test_user_functions_are_recorded():
    eqs = Equations("I = stim(t) * 2 : amp")
    assert eqs.external_functions == frozenset({"stim"})
    assert "stim" not in eqs.external_names
    assert eqs.subexpressions["I"].expr == 2 * sympy.Function("stim", real=True)(t)


def test_noise_in_differential_equations():
    eqs = Equations("dv/dt = -v/tau + sigma*xi*tau**-0.5 + s2*xi_b/sqrt(tau) : volt")
    assert eqs.noise_names == frozenset({"xi", "xi_b"})
    assert eqs.external_names == frozenset({"tau", "sigma", "s2"})


def test_flags_and_units():
    eqs = Equations("""
        g : siemens/cm2 (shared, constant)
        dApre/dt = -Apre/taupre : 1 (event-driven)
        Isyn_post = w*g : siemens/meter**2 (summed)
        w : 1
    """)
    assert eqs.parameters["g"].flags == frozenset({"shared", "constant"})
    assert eqs.parameters["g"].dim == (ureg.siemens / ureg.meter**2).dimensionality
    assert eqs.differential["Apre"].flags == frozenset({"event-driven"})
    assert eqs.differential["Apre"].unit == ureg.dimensionless


def test_substitute_and_immutability():
    eqs = Equations("I = 2*w : volt\nw : volt")
    assert eqs.substitute(symbol("I") + 1) == 2 * w + 1
    with pytest.raises(AttributeError):
        eqs.source = "x"


def test_all_symbols_are_real():
    eqs = Equations("dv/dt = -v/tau : volt")
    assert all(s.is_real for s in eqs.differential["v"].expr.free_symbols)
