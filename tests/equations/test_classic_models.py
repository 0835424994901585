"""The four classic models, in their usual unit-ful forms: parse, unit-check, print back."""
import pytest
import sympy

from eqsnn.equations import Equations, parse_equations
from eqsnn.errors import DimensionMismatchError
from eqsnn.units import ureg

VOLT = ureg.volt.dimensionality
SECOND = ureg.second.dimensionality
AMP = ureg.ampere.dimensionality
SIEMENS = ureg.siemens.dimensionality
FARAD = ureg.farad.dimensionality
PER_AREA = (1 / ureg.meter**2).dimensionality
UNITS = {"mV": VOLT, "ms": SECOND, "nA": AMP, "pA": AMP, "second": SECOND}

# Hodgkin & Huxley (1952) with the parameters of Neurapse's seed (per cm²: C = 1 uF,
# g_Na = 120 mS, E_Na = 50 mV, …), rates in the modern resting-at--65 mV convention.
# x/(1 - exp(-x)) is written 1/exprel(-x), which stays finite at x = 0.
HH = """
dv/dt = (I - I_Na - I_K - I_L)/C : volt
I_Na = g_Na*m**3*h*(v - E_Na) : amp/meter**2
I_K = g_K*n**4*(v - E_K) : amp/meter**2
I_L = g_L*(v - E_L) : amp/meter**2
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
alpha_m = 1/exprel(-(v/mV + 40)/10)/ms : Hz
beta_m = 4*exp(-(v/mV + 65)/18)/ms : Hz
alpha_h = 0.07*exp(-(v/mV + 65)/20)/ms : Hz
beta_h = 1/(1 + exp(-(v/mV + 35)/10))/ms : Hz
alpha_n = 0.1/exprel(-(v/mV + 55)/10)/ms : Hz
beta_n = 0.125*exp(-(v/mV + 65)/80)/ms : Hz
I : amp/cm2
"""
HH_DIMS = {"C": FARAD * PER_AREA, "g_Na": SIEMENS * PER_AREA, "g_K": SIEMENS * PER_AREA,
           "g_L": SIEMENS * PER_AREA, "E_Na": VOLT, "E_K": VOLT, "E_L": VOLT, **UNITS}

# Adaptive exponential integrate-and-fire (Brette & Gerstner 2005).
ADEX = """
dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I)/C : volt (unless refractory)
dw/dt = (a*(v - EL) - w)/tau_w : amp
I : amp
"""
ADEX_DIMS = {"gL": SIEMENS, "EL": VOLT, "DeltaT": VOLT, "VT": VOLT, "C": FARAD,
             "a": SIEMENS, "tau_w": SECOND, **UNITS}

# Leaky integrate-and-fire.
LIF = """
dv/dt = (El - v + R*I)/tau : volt (unless refractory)
I : amp
"""
LIF_DIMS = {"El": VOLT, "R": ureg.ohm.dimensionality, "tau": SECOND, **UNITS}

# Izhikevich (2003), with Brian2's habit of mV and ms.
IZHIKEVICH = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms : volt
du/dt = a*(b*v - u) : volt
I : volt
a : Hz (constant)
b : 1 (constant)
"""
IZHIKEVICH_DIMS = dict(UNITS)

MODELS = {"HH": (HH, HH_DIMS), "AdEx": (ADEX, ADEX_DIMS), "LIF": (LIF, LIF_DIMS),
          "Izhikevich": (IZHIKEVICH, IZHIKEVICH_DIMS)}


@pytest.mark.parametrize("name", MODELS)
def test_parses_checks_units_and_prints_back(name):
    text, dims = MODELS[name]
    eqs = parse_equations(text)
    eqs.check_units(dims)
    printed = str(eqs)
    again = parse_equations(printed)
    assert again == eqs
    again.check_units(dims)
    assert str(again) == printed


@pytest.mark.parametrize("name", MODELS)
def test_latex(name):
    latex = Equations(MODELS[name][0])._repr_latex_()
    assert latex.startswith("$$") and r"\frac{dv}{dt}" in latex


def test_hh_structure():
    eqs = Equations(HH)
    assert list(eqs.differential) == ["v", "m", "h", "n"]
    assert list(eqs.parameters) == ["I"]
    assert eqs.external_names == frozenset(HH_DIMS) - {"nA", "pA", "second"}
    # Subexpressions are gone from the right-hand sides the integrators see.
    rhs = eqs.rhs("m")
    assert {s.name for s in rhs.free_symbols} == {"v", "m", "mV", "ms"}


def test_hh_with_a_wrong_conductance_unit_names_the_term():
    dims = dict(HH_DIMS, g_K=SIEMENS)  # forgot the per-area
    with pytest.raises(DimensionMismatchError) as info:
        Equations(HH).check_units(dims)
    message = str(info.value)
    assert "I_K is declared with unit amp / meter ** 2" in message
    assert "definition has unit amp" in message
    assert "I_K = g_K*n**4*(v - E_K)" in message


def test_lif_flags():
    eqs = Equations(LIF)
    assert eqs.differential["v"].flags == frozenset({"unless refractory"})
    assert "(unless refractory)" in str(eqs)


def test_izhikevich_rhs_is_the_2003_polynomial():
    eqs = Equations(IZHIKEVICH)
    v, u, I, mV, ms = sympy.symbols("v u I mV ms", real=True)
    expected = (sympy.Rational(1, 25) * v**2 / mV + 5 * v + 140 * mV - u + I) / ms
    assert sympy.simplify(eqs.rhs("v") - expected.subs(
        sympy.Rational(1, 25), sympy.Float(0.04))) == 0
