"""``%``, ``//`` and ``int()`` in initialisers, connect conditions and equations.

Brian2's semantics, which are Python's: ``a % b`` is the floored modulo (the sign of
``b``), ``a // b`` the floored quotient, ``int(x)`` truncates toward zero. Each is
compared with numpy's own spelling of the same operation (np.mod, np.floor_divide,
np.trunc), on both backends where code is generated; mistakes point at the text.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.equations import parse_equations
from eqsnn.errors import DimensionMismatchError, EquationSyntaxError
from eqsnn.units import ms

N = 12
I = np.arange(N, dtype=float)
EXPECTED = {
    "(i - 5) % 3": np.mod(I - 5, 3),
    "(i - 5) % -4": np.mod(I - 5, -4),
    "(i - 5) // 3": np.floor_divide(I - 5, 3),
    "int((i - 5)/3)": np.trunc((I - 5) / 3),
    "int(-2.5) + int(2.5)": np.zeros(N),
    "int(i/4)*4 + i % 4": I,
}


@pytest.mark.parametrize("text", EXPECTED)
def test_group_initialiser(text):
    group = es.NeuronGroup(N, "x : 1")
    group.x = text
    np.testing.assert_array_equal(group.x_, EXPECTED[text])


def test_synaptic_initialiser_and_connect_condition():
    group = es.NeuronGroup(N, "x : 1")
    synapses = es.Synapses(group, group, "w : 1")
    synapses.connect("(i + j) % 3 == 0 and int(i/4) != j // 4")
    pre, post = np.meshgrid(I, I, indexing="ij")
    mask = (np.mod(pre + post, 3) == 0) & (np.trunc(pre / 4) != np.floor_divide(post, 4))
    assert sorted(zip(synapses.i, synapses.j)) == sorted(zip(*np.nonzero(mask)))
    synapses.w = "(i - j) % 5 + int((i - j)/2)"
    expected = np.mod(synapses.i - synapses.j, 5) + np.trunc((synapses.i - synapses.j) / 2)
    np.testing.assert_array_equal(synapses.w_, expected)


def _run_constant_rate(rate: str, backend: str) -> np.ndarray:
    # the right-hand side is constant, so 10 Euler steps of 0.1 ms give exactly 1 ms of it
    group = es.NeuronGroup(N, f"dx/dt = ({rate})/ms : 1", method="euler")
    es.Network(group, backend=backend, dt=0.1 * ms).run(1 * ms)
    return group.x_


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_in_equations_on_both_backends(backend):
    x = _run_constant_rate("int(-i/3) + i // 3 + i % 3 + int(2.5)", backend)
    expected = np.trunc(-I / 3) + np.floor_divide(I, 3) + np.mod(I, 3) + 2
    np.testing.assert_allclose(x, expected, atol=1e-12)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_in_equations_a_quotient_with_a_constant_term(backend):
    """SymPy stores (i - 5)/3 as i/3 - 5/3, -2.2e-16 at i = 5 in floating point: floor,
    int() and % stepped early at exact multiples until the printers gathered it back.
    (Brian2 2.9.0 still does, on its numpy and cython targets: the same equation, 12
    neurons, euler, 1 ms gives -1, 0, 2 at i = 5, 8, 11 instead of 0, 2, 4; run with
    ~/.cache/eqsnn/bench/brian2-2.9.0/bin/python.)"""
    x = _run_constant_rate("int((i - 5)/3) + (i - 5) // 3 + (i - 5) % 3", backend)
    expected = np.trunc((I - 5) / 3) + np.floor_divide(I - 5, 3) + np.mod(I - 5, 3)
    np.testing.assert_allclose(x, expected, atol=1e-12)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_in_equations_quotients_stay_exact_under_fast_math(backend):
    """gcc's -ffast-math turns i/49.0 into i*(1/49.0), which is 0.9999999999999999 at
    i = 49: the generated code rounds the quotient itself (floor, ceil, int(), % of
    whole numbers by whole numbers), on both backends alike."""
    group = es.NeuronGroup(200, """
        dx/dt = (i // 49 + ceil(i/49) + int(-i/49) + i % 49 + floor((i - 7)/21))/ms : 1
        """, method="euler")
    es.Network(group, backend=backend, dt=0.1 * ms).run(1 * ms)
    k = np.arange(200, dtype=float)
    expected = (np.floor_divide(k, 49) + np.ceil(k / 49) + np.trunc(-k / 49) + np.mod(k, 49)
                + np.floor_divide(k - 7, 21))
    np.testing.assert_allclose(group.x_, expected, atol=1e-12)


def test_int_prints_back_as_int():
    (entry,) = parse_equations("y = int(x/2) + x // 3 : 1\nx : 1").subexpressions.values()
    from eqsnn.equations.printing import to_text
    assert to_text(entry.expr).count("int(") == 1


@pytest.mark.parametrize("text, error, says, caret", [
    ("int(v)", DimensionMismatchError, "int() needs a dimensionless argument", "^~~~~~"),
    ("i // 0", EquationSyntaxError, "division by zero", "^~~~~~"),
    ("i % 0", EquationSyntaxError, "division by zero", "^~~~~"),
    ("int(i, 2)", EquationSyntaxError, "int() takes 1 argument, 2 given", "^~~~~~~~~"),
])
def test_mistakes_point_at_the_text(text, error, says, caret):
    group = es.NeuronGroup(3, "x : 1\nv : volt")
    with pytest.raises(error) as caught:
        group.x = text
    message = str(caught.value)
    assert says in message and f"    {text}\n    {caret}" in message
