"""A Brian2 user who reaches for a name eqsnn spells differently is told what to write."""
import importlib.machinery
import subprocess
import sys
import textwrap

import pytest

import eqsnn as es
from eqsnn.brian2_hints import _HINTS, BrianNameError
from eqsnn.errors import EqsnnError


def _error_of(code: str) -> str:
    """The last lines of the traceback a user sees running ``code`` as a script."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    return done.stderr


def test_run_says_there_is_no_implicit_network_and_how_to_write_it():
    with pytest.raises(BrianNameError) as info:
        es.run(100)
    text = str(info.value)
    assert text.startswith("eqsnn has no run(): there is no implicit network")
    assert "net = es.Network(group, monitor); net.run(100*ms)" in text
    assert isinstance(info.value, EqsnnError) and isinstance(info.value, AttributeError)


def test_hasattr_and_getattr_with_a_default_answer_as_for_any_missing_name():
    assert not hasattr(es, "run") and not hasattr(es, "mV")
    assert getattr(es, "defaultclock", None) is None


def test_importing_a_unit_from_eqsnn_points_to_eqsnn_units():
    stderr = _error_of("from eqsnn import mV, ms")
    assert "eqsnn has no 'mV' at the top level: units live in eqsnn.units" in stderr
    assert "hint: from eqsnn.units import mV" in stderr
    with pytest.raises(AttributeError, match="from eqsnn.units import nsiemens"):
        es.nsiemens


def test_from_eqsnn_import_run_shows_the_hint_too():
    stderr = _error_of("from eqsnn import NeuronGroup, run")
    assert "eqsnn has no run()" in stderr and "es.Network(group, monitor)" in stderr


@pytest.mark.parametrize("code, message, hint", [
    ("es.defaultclock.dt = 0.05*ms", "eqsnn has no defaultclock: the default time step is "
     "the network's", "es.Network(..., dt=0.05*ms) for every object"),
    ("es.start_scope()", "eqsnn has no start_scope(): nothing is collected implicitly",
     "a network holds only the objects passed to es.Network(...); make a new Network"),
    ("es.seed(4)", "eqsnn has no global seed()", "es.Network(..., seed=1)"),
    ("es.set_device('cpp_standalone')", "eqsnn has no devices", "remove set_device(...)"),
    ("es.prefs.codegen.target = 'numpy'", "eqsnn has no global prefs",
     "es.Network(..., backend='numpy')"),
    ("es.store()", "store() is a method of the network", "net.store(); net.restore()"),
    ("es.exp(1)", "eqsnn does not re-export numpy's 'exp'", "import numpy as np; np.exp"),
    ("es.rand()", "numpy's 'rand'", "import numpy as np; np.random.rand"),
    ("es.xlabel('t')", "pyplot's 'xlabel'", "import matplotlib.pyplot as plt; plt.xlabel(...)"),
])
def test_brian2_names_get_a_hint(code, message, hint):
    from eqsnn.units import ms  # noqa: F401  (the snippets are Brian2 lines)
    with pytest.raises(BrianNameError) as info:
        exec(code, {"es": es, "ms": ms})  # noqa: S102  (test input is ours)
    assert message in str(info.value)
    assert f"hint: {hint}" in str(info.value)


def test_other_missing_names_stay_plain_attribute_errors():
    assert not hasattr(es, "no_such_thing")
    with pytest.raises(AttributeError, match="module 'eqsnn' has no attribute 'Neurongroup'"):
        es.Neurongroup


def test_no_hint_hides_a_submodule():
    for name in _HINTS:
        # (a real submodule: the path finder's; importlib.util.find_spec also asks
        # eqsnn's HintFinder, which answers for the hint names)
        assert importlib.machinery.PathFinder.find_spec(f"eqsnn.{name}", es.__path__) is None, name
    from eqsnn import unit_names, quantity_display  # submodules import as usual
    assert unit_names.EXPRESSIONS["mV"] == "millivolt" and quantity_display.text
