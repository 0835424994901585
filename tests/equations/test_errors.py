"""Malformed input → one clear EqsnnError whose text says what, where and how to fix.

Each case asserts message fragments (not only the type). Cases with a ``valid`` twin
show that the fix suggested by the message really parses.
"""
import pytest

from eqsnn.equations import Equations, parse_expression, parse_statements
from eqsnn.errors import (DimensionMismatchError, EqsnnError, EquationSyntaxError,
                          ReservedNameError, UnknownNameError)

EQUATIONS = "equations"
THRESHOLD = "threshold"
RESET = "reset"


def parse(kind, text):
    if kind == EQUATIONS:
        return Equations(text)
    if kind == THRESHOLD:
        return parse_expression(text, label="threshold")
    return parse_statements(text, label="reset")


# (id, kind, malformed text, error class, fragments of the message, valid twin or None)
CASES = [
    ("power-caret", EQUATIONS, "dv/dt = -v**2/tau + v^3/tau : volt", EquationSyntaxError,
     ["'^' is not a power", "use ** for powers", "column 22"], "dv/dt = -v**2/tau + v**3/tau : volt"),
    ("missing-unit", EQUATIONS, "dv/dt = -v/tau", EquationSyntaxError,
     ["missing unit", "dv/dt = -v/tau : volt", "': 1'"], "dv/dt = -v/tau : volt"),
    ("missing-unit-parameter", EQUATIONS, "tau", EquationSyntaxError,
     ["missing unit", "tau : second"], "tau : second"),
    ("unknown-unit", EQUATIONS, "dv/dt = -v/tau : vlot", UnknownNameError,
     ["unknown unit 'vlot'", "did you mean 'volt'?"], "dv/dt = -v/tau : volt"),
    ("unknown-unit-case", EQUATIONS, "I : Amp", UnknownNameError,
     ["unknown unit 'Amp'", "did you mean 'amp'?"], "I : amp"),
    ("misspelt-flag", EQUATIONS, "dv/dt = -v/tau : volt (unless refactory)", EquationSyntaxError,
     ["unknown flag 'unless refactory'", "did you mean 'unless refractory'?"],
     "dv/dt = -v/tau : volt (unless refractory)"),
    ("flag-wrong-kind", EQUATIONS, "dv/dt = -v/tau : volt (constant)", EquationSyntaxError,
     ["'constant' cannot be given to the differential 'v'"], "tau : second (constant)"),
    ("open-paren", EQUATIONS, "dv/dt = (El - v/tau : volt", EquationSyntaxError,
     ["unbalanced parentheses", "never closed", "add the matching ')'"],
     "dv/dt = (El - v)/tau : volt"),
    ("close-paren", EQUATIONS, "dv/dt = El - v)/tau : volt", EquationSyntaxError,
     ["unbalanced parentheses", "')' closes nothing"], "dv/dt = (El - v)/tau : volt"),
    ("reserved-t", EQUATIONS, "t : second", ReservedNameError,
     ["'t' is reserved", "choose another name"], "t0 : second"),
    ("reserved-noise", EQUATIONS, "xi_1 : 1", ReservedNameError,
     ["'xi_1' is reserved for white noise"], None),
    ("reserved-underscore", EQUATIONS, "_v : volt", ReservedNameError,
     ["'_v' is reserved", "eqsnn's own"], "v_ : volt"),
    ("reserved-keyword", EQUATIONS, "lambda : 1", ReservedNameError,
     ["'lambda' is a Python keyword"], "lam : 1"),
    ("duplicate", EQUATIONS, "v : volt\ndv/dt = -v/tau : volt", EquationSyntaxError,
     ["'v' is defined twice (first on line 1)", "line 2"], None),
    ("cycle", EQUATIONS, "a = b + 1 : 1\nb = c : 1\nc = 2*a : 1", EquationSyntaxError,
     ["cycle", "a -> b -> c -> a"], "a = b + 1 : 1\nb = c : 1\nc : 1"),
    ("noise-in-subexpression", EQUATIONS, "I = sigma*xi : amp", EquationSyntaxError,
     ["white noise 'xi'", "only allowed in differential equations"], None),
    ("derivative-not-time", EQUATIONS, "dv/dx = v : 1", EquationSyntaxError,
     ["with respect to time", "dv/dt"], "dv/dt = v/second : 1"),
    ("prime-derivative", EQUATIONS, "v' = -v/tau : volt", EquationSyntaxError,
     ["cannot be defined", "dv/dt"], "dv/dt = -v/tau : volt"),
    ("implicit-multiplication", EQUATIONS, "dv/dt = -2v/tau : volt", EquationSyntaxError,
     ["number is directly followed by a name", "2*v"], "dv/dt = -2*v/tau : volt"),
    ("unknown-function", EQUATIONS, "a = epx(-v/mV) : 1", UnknownNameError,
     ["unknown function 'epx'", "did you mean 'exp'?"], "a = exp(-v/mV) : 1"),
    ("foreign-function", EQUATIONS, "a = ln(x) : 1", UnknownNameError,
     ["unknown function 'ln'", "log(x)"], "a = log(x) : 1"),
    ("wrong-arity", EQUATIONS, "a = clip(v, 0) : 1", EquationSyntaxError,
     ["clip() takes 3 arguments, 2 given"], "a = clip(v, 0, 1) : 1"),
    ("rand-argument", EQUATIONS, "a = rand(5) : 1", EquationSyntaxError,
     ["rand() takes no arguments", "5*rand()"[1:]], "a = 5*rand() : 1"),
    ("attribute", EQUATIONS, "a = np.exp(x) : 1", EquationSyntaxError,
     ["attribute access ('np.exp')", "exp(x)"], "a = exp(x) : 1"),
    ("subscript", EQUATIONS, "a = v[0] : volt", EquationSyntaxError,
     ["indexing", "one neuron at a time"], None),
    ("keyword-argument", EQUATIONS, "a = clip(v, low=0, high=1) : 1", EquationSyntaxError,
     ["keyword arguments are not allowed", "by position"], "a = clip(v, 0, 1) : 1"),
    ("lambda", EQUATIONS, "a = (lambda x: x)(v) : 1", EquationSyntaxError,
     ["only named functions can be called"], None),
    ("comprehension", EQUATIONS, "a = [x for x in v] : 1", EquationSyntaxError,
     ["list comprehension is not allowed"], None),
    ("fstring", EQUATIONS, "a = f'{v}' : 1", EquationSyntaxError, ["f-string"], None),
    ("walrus", EQUATIONS, "a = (b := v) : 1", EquationSyntaxError, ["':=' is not allowed"], None),
    ("string", EQUATIONS, "a = 'v' : 1", EquationSyntaxError, ["not allowed"], None),
    ("ifexp", EQUATIONS, "a = v if v else w : 1", EquationSyntaxError,
     ["'x if c else y' is not allowed"], None),
    ("bitand", EQUATIONS, "a = v & w : 1", EquationSyntaxError, ["'&'", "'and'"], None),
    ("unit-with-number", EQUATIONS, "v : 10*mV", EquationSyntaxError,
     ["cannot contain the number 10", "values go in the namespace"], "v : mV"),
    ("unit-caret", EQUATIONS, "A : meter^2", EquationSyntaxError,
     ["'^' is not a power in a unit", "meter**2"], "A : meter**2"),
    ("unit-function", EQUATIONS, "x : sqrt(second)", EquationSyntaxError,
     ["cannot call a function"], "x : second**0.5"),
    ("empty-unit", EQUATIONS, "a = v : ", EquationSyntaxError, ["unit after ':' is missing"],
     "a = v : 1"),
    ("equals-in-definition", EQUATIONS, "a == v : 1", EquationSyntaxError,
     ["cannot be defined", "define with a single ="], "a = v : 1"),
    ("trailing-operator", EQUATIONS, "dv/dt = -v/tau +", EquationSyntaxError,
     ["end with '+'", "incomplete"], None),
    ("dunder", EQUATIONS, "a = __builtins__ : 1", EquationSyntaxError,
     ["'__builtins__' is not allowed"], None),
    ("underscore-name", EQUATIONS, "a = _k1_v : 1", ReservedNameError,
     ["reserved for the names eqsnn generates", "'_k1_v'"], None),
    ("function-as-value", EQUATIONS, "a = exp : 1", EquationSyntaxError,
     ["'exp' is a function", "exp(...)"], None),
    ("huge-power", EQUATIONS, "a = 10**10**10 : 1", EquationSyntaxError,
     ["too large"], "a = 10**10 : 1"),
    ("division-by-zero", EQUATIONS, "a = v/0 : 1", EquationSyntaxError,
     ["division by zero"], None),
    ("complex", EQUATIONS, "a = 3j : 1", EquationSyntaxError,
     ["complex numbers", "use * to multiply"], None),
    ("question-mark", EQUATIONS, "a = v ? w : 1", EquationSyntaxError,
     ["unexpected character '?'"], None),
    ("dimension-exp", EQUATIONS, "v : volt\na = exp(v) : 1", DimensionMismatchError,
     ["exp() needs a dimensionless argument", "'v' has unit volt", "line 2"],
     "v : volt\na = exp(v/volt) : 1"),
    ("dimension-sum", EQUATIONS, "v : volt\nI : amp\na = v + I : volt", DimensionMismatchError,
     ["different units", "v  [volt]", "I  [amp]", "definition of a"], None),
    ("dimension-derivative", EQUATIONS, "dv/dt = -v : volt", DimensionMismatchError,
     ["right-hand side of dv/dt has unit volt", "must be volt / second", "time constant"],
     "dv/dt = -v/second : volt"),
    ("dimension-declared", EQUATIONS, "v : volt\nw = 2*v : amp", DimensionMismatchError,
     ["w is declared with unit amp", "definition has unit volt"], "v : volt\nw = 2*v : volt"),
    ("dimension-power", EQUATIONS, "v : volt\nn : 1\na = v**n : 1", DimensionMismatchError,
     ["non-numeric power"], None),
    ("integer-differential", EQUATIONS, "dn/dt = 1/ms : integer", EquationSyntaxError,
     ["defines a floating-point variable", "declared integer"], "n : integer"),
    # thresholds (conditions)
    ("threshold-assign", THRESHOLD, "v = -50*mV", EquationSyntaxError,
     ["'=' is an assignment", "use == "], "v == -50*mV"),
    ("threshold-arrow", THRESHOLD, "v => vt", EquationSyntaxError,
     ["'=>' is not an operator", "did you mean '>='?"], "v >= vt"),
    ("threshold-and-and", THRESHOLD, "v > vt && w > 0", EquationSyntaxError,
     ["unexpected character '&'", "use 'and'"], "v > vt and w > 0"),
    ("threshold-not-number", THRESHOLD, "not (v + 1)", EquationSyntaxError,
     ["combine conditions, but this is a number"], "not (v > 0)"),
    ("threshold-two-lines", THRESHOLD, "v > vt\nw > 0", EquationSyntaxError,
     ["must be one expression", "line 2"], "(v > vt\n and w > 0)"),
    ("threshold-incomplete", THRESHOLD, "v > vt and", EquationSyntaxError,
     ["ends with 'and'"], "v > vt"),
    ("threshold-noise", THRESHOLD, "v > xi", EquationSyntaxError,
     ["white noise 'xi'"], None),
    ("threshold-empty", THRESHOLD, "   ", EquationSyntaxError, ["is empty"], None),
    # resets (statements)
    ("reset-compare", RESET, "v == El", EquationSyntaxError,
     ["must assign to a variable", "== compares, = assigns"], "v = El"),
    ("reset-power-assign", RESET, "v **= 2", EquationSyntaxError,
     ["'**=' is not supported", "v = v ** "], "v *= v"),
    ("reset-reserved", RESET, "t = 0", ReservedNameError, ["'t' is reserved"], "v = 0"),
    ("reset-comma", RESET, "v = El, w = 0", EquationSyntaxError,
     ["unexpected '='", "separate statements with ';'"], "v = El; w = 0"),
    ("reset-empty-rhs", RESET, "v = El; w +=", EquationSyntaxError,
     ["ends with '='"], "v = El; w += 1"),
    ("reset-not-name", RESET, "v.x = 3", EquationSyntaxError,
     ["cannot assign to 'v.x'"], None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_message(case):
    _, kind, text, cls, fragments, _ = case
    with pytest.raises(cls) as info:
        parse(kind, text)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


VALID = [c for c in CASES if c[5] is not None]


@pytest.mark.parametrize("case", VALID, ids=[c[0] for c in VALID])
def test_valid_twin_parses(case):
    _, kind, _, _, _, valid = case
    parse(kind, valid)


def test_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len(VALID) >= 10


def test_caret_points_at_the_offending_column():
    with pytest.raises(EquationSyntaxError) as info:
        Equations("tau : second\n    dv/dt = (El - v)/tau + v^2 : volt")
    span = info.value.span
    assert span.line == 2
    line = span.line_text
    assert line[span.column:span.end_column] == "^"
    lines = str(info.value).splitlines()
    code, caret = lines[2], lines[3]
    assert code.strip() == "dv/dt = (El - v)/tau + v^2 : volt"
    assert caret.index("^") == code.index("^")


def test_caret_on_a_continuation_line():
    with pytest.raises(UnknownNameError) as info:
        Equations("dv/dt = (El - v\n         + epx(v/mV))/tau : volt")
    span = info.value.span
    assert span.line == 2
    assert span.line_text[span.column:span.end_column] == "epx"


def test_caret_after_non_ascii_text():
    with pytest.raises(EquationSyntaxError) as info:
        Equations("a = µ + v^2 : 1")
    span = info.value.span
    assert span.line_text[span.column:span.end_column] == "^"
    assert span.column == len("a = µ + v")


def test_every_error_is_an_eqsnn_error():
    for _, kind, text, *_ in CASES:
        with pytest.raises(EqsnnError):
            parse(kind, text)


def test_misspelt_name_at_unit_check():
    eqs = Equations("dv/dt = (El - v)/tua : volt\ntau : second")
    with pytest.raises(UnknownNameError) as info:
        eqs.check_units({"El": Equations("x : volt").parameters["x"].dim})
    assert "unknown name 'tua'" in str(info.value)
    assert "did you mean 'tau'?" in str(info.value)
    assert info.value.span.line == 1
