"""Quantities users compute with: a dimensionless result is a plain number at the right
scale (as in Brian2), and quantities print the way people read them."""
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError
from eqsnn.units import Hz, Mohm, mV, ms, nA, nS, pF, second, ureg, us, volt


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_the_first_lines_of_a_brian2_script_give_the_numbers_on_the_screen(backend):
    import matplotlib.pyplot as plt
    group = es.NeuronGroup(1, "dv/dt = (-70*mV - v)/(10*ms) : volt", method="exact")
    monitor = es.StateMonitor(group, "v", record=0)
    es.Network(group, monitor, backend=backend).run(0.3 * ms)
    times = np.asarray(monitor.t / ms)
    np.testing.assert_allclose(times, [0, 0.1, 0.2])
    assert type(monitor.t / ms) is np.ndarray
    expected = -70 * (1 - np.exp(-times / 10))           # closed form, from v = 0
    np.testing.assert_allclose(monitor.v[0] / mV, expected, rtol=1e-12, atol=1e-12)
    figure, axes = plt.subplots()
    line, = axes.plot(monitor.t / ms, monitor.v[0] / mV)
    np.testing.assert_allclose(line.get_xdata(), [0, 0.1, 0.2])
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12, atol=1e-12)
    plt.close(figure)


@pytest.mark.parametrize("backend", ["numpy", "c"])
def test_group_and_synapse_values_divided_by_a_unit_are_plain_arrays(backend):
    group = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : volt")
    group.v = [-70, -60, -50] * mV
    synapses = es.Synapses(group, group, "w : siemens", on_pre="v += 0*mV")
    synapses.connect(i=[0, 1], j=[1, 2])
    synapses.w = [1, 2] * nS
    es.Network(group, synapses, backend=backend).run(0.1 * ms)
    v = group.v / mV
    assert type(v) is np.ndarray
    np.testing.assert_allclose(v, np.array([-70, -60, -50]) * np.exp(-0.01))
    w = synapses.w / nS
    assert type(w) is np.ndarray
    np.testing.assert_allclose(w, [1, 2])


def test_dimensionless_results_are_plain_numbers_at_the_right_scale():
    t = np.array([0.0, 1e-4, 2e-4, 5e-4]) * second
    assert type(t / ms) is np.ndarray
    np.testing.assert_allclose(t / ms, [0, 0.1, 0.2, 0.5])
    assert (3 * ms) / (1 * second) == pytest.approx(0.003)
    assert type((3 * ms) / (1 * second)) is not type(3 * ms)
    assert (1 * second) // (300 * ms) == 3
    assert 2 / (1 * ms) * (3 * ms) == pytest.approx(6)        # left to right: (2/ms)*ms
    assert (2 * mV / (1 * volt)) == pytest.approx(0.002)
    assert ((10 * Mohm) * (2 * nA)) / mV == pytest.approx(20)  # ohm*amp is a volt
    assert ((200 * pF) / (10 * nS)) / ms == pytest.approx(20)  # a time constant
    assert (5 * Hz) * (200 * ms) == pytest.approx(1)
    np.testing.assert_allclose(np.divide(t, ms), [0, 0.1, 0.2, 0.5])
    assert np.mean(t / ms) == pytest.approx(0.2)
    np.testing.assert_allclose(np.diff(t / ms), [0.1, 0.1, 0.3])
    counts, _ = np.histogram(t / ms, bins=[0, 0.15, 1])
    np.testing.assert_array_equal(counts, [2, 2])
    assert np.exp(t[1] / t[2]) == pytest.approx(np.exp(0.5))
    assert int(t[3] / us) == 500 and isinstance(int(t[3] / us), int)
    np.testing.assert_array_equal(np.asarray(t / us, dtype=int), [0, 100, 200, 500])
    quotient = 5 * ms
    quotient /= 1 * ms
    assert quotient == pytest.approx(5) and not es.units.is_quantity(quotient)
    # a quantity built dimensionless by hand converts at its scale too
    by_hand = ureg.Quantity(np.array([1.0, 2.0]), "millisecond/second")
    np.testing.assert_allclose(np.asarray(by_hand), [1e-3, 2e-3])


def test_a_quantity_with_a_unit_refuses_float_and_says_how():
    with pytest.raises(DimensionMismatchError) as info:
        float(3 * mV)
    assert isinstance(info.value, TypeError)      # what float() raises; matplotlib expects it
    assert "float() of 3. mV: a quantity with a unit is not a plain number" in str(info.value)
    assert "float(x/mV)" in str(info.value)
    assert float((3 * mV) / mV) == 3.0


def test_a_quantity_with_a_unit_becomes_si_numbers_with_a_warning_as_in_brian2():
    import matplotlib.pyplot as plt
    from eqsnn._pint import pint
    with pytest.warns(pint.UnitStrippedWarning, match="the values are in SI"):
        np.testing.assert_allclose(np.asarray([-70, -60] * mV), [-0.07, -0.06])
    figure, axes = plt.subplots()
    with pytest.warns(pint.UnitStrippedWarning):
        line, = axes.plot([1, 2] * ms, [1, 2] * mV)           # no division: SI, like Brian2
        figure.canvas.draw()
    np.testing.assert_allclose(line.get_xdata(orig=False), [1e-3, 2e-3])
    np.testing.assert_allclose(line.get_ydata(orig=False), [1e-3, 2e-3])
    plt.close(figure)


def test_a_pandas_column_gets_the_numbers():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"t": np.array([1e-3, 2e-3]) * second / ms})
    assert frame["t"].dtype == np.float64
    np.testing.assert_allclose(frame["t"].to_numpy(), [1, 2])


@pytest.mark.parametrize("quantity, text, code", [
    (16.1 * ms, "16.1 ms", "16.1 * ms"),
    (-70 * mV, "-70. mV", "-70. * mV"),
    (0.0163 * second, "16.3 ms", "16.3 * ms"),                # no float noise
    ((10 + 6.3) * 1e-3 * second, "16.3 ms", "16.3 * ms"),
    (np.array([0, 1e-4, 2e-4]) * second, "[  0. 100. 200.] us",
     "array([  0., 100., 200.]) * us"),
    (np.array([-0.07, 0.02]) * volt, "[-70.  20.] mV", "array([-70.,  20.]) * mV"),
    (np.array([0.0, 0.0]) * volt, "[0. 0.] V", "array([0., 0.]) * volt"),
    (3 * nS * mV, "3. pA", "3. * pA"),
    (2.5 * mV / ms, "2.5 V/s", "2.5 * volt/second"),
    (15 * Mohm, "15. Mohm", "15. * Mohm"),
    (2500 * Hz, "2.5 kHz", "2.5 * kHz"),
    (7 * ureg.Quantity(1, "ampere/meter**2"), "7. A/m^2", "7. * amp/metre**2"),
])
def test_quantities_print_the_way_people_read_them(quantity, text, code):
    assert str(quantity) == text
    assert repr(quantity) == code
    assert f"{quantity}" == text


def test_a_repr_is_code_that_gives_the_quantity_back():
    import eqsnn.units as u
    for quantity in (16.1 * ms, np.array([-0.07, 0.02]) * volt, 2.5 * mV / ms, 15 * Mohm):
        back = eval(repr(quantity), {"array": np.array, **vars(u)})  # test only: our text
        np.testing.assert_allclose(es.units.to_si(back)[0], es.units.to_si(quantity)[0])


def test_format_specs_apply_to_the_numbers_shown():
    assert f"{16.3 * ms:.2f}" == "16.30 ms"
    assert f"{np.array([1.0, 2.5]) * mV:.1f}" == "[1.0 2.5] mV"
    assert f"{3 * mV:~P}" == "3 mV"                             # pint's specs still work


def test_notebooks_show_quantities_as_latex():
    assert (-70 * mV)._repr_latex_() == r"$-70.\ \mathrm{mV}$"
    assert (2 * us)._repr_latex_() == r"$2.\ \mathrm{\mu s}$"
    assert (15 * Mohm)._repr_latex_() == r"$15.\ \mathrm{M\Omega}$"
    row = (np.array([1.0, 2.0, 3.0]) * mV)._repr_latex_()
    assert row == r"$\left[\begin{matrix}1. & 2. & 3.\end{matrix}\right]\ \mathrm{mV}$"
    long = (np.arange(100.0) * mV)._repr_latex_()
    assert r"0. & 1. & 2. & 3. & \cdots & 96. & 97. & 98. & 99." in long
    table = (np.arange(100.0).reshape(10, 10) * mV)._repr_latex_()
    assert table.count(r"\\") == 8 and r"\ddots" in table and r"\vdots" in table
    assert (2.5 * mV / ms)._repr_latex_() == r"$2.5\ \mathrm{V}/\mathrm{s}$"
    assert (-70 * mV)._repr_html_() is None                    # not pint's SI table


def test_a_pickled_quantity_comes_back_on_eqsnns_registry_in_a_fresh_process():
    data = pickle.dumps(np.array([1.0, 2.0]) * ms)
    code = textwrap.dedent("""
        import pickle, sys
        value = pickle.loads(sys.stdin.buffer.read())
        from eqsnn.units import ms
        print(type(value).__module__, value + 1 * ms, value / ms)
    """)
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split(None, 1)[1].strip() == "[2. 3.] ms [1. 2.]"
