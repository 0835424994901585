"""The NeuroML core cell and synapse types, and a ComponentType of our own, imported
into eqsnn give jNeuroML's numbers.

One LEMS document (data/LEMS_core_types.xml) holds a population of every core point
cell type with an input, and a projection of every core synapse type; jNeuroML runs it
once, eqsnn imports and runs it once, at the same dt (0.01 ms) and method (forward
Euler, jNeuroML's). Compared:

* trajectories row by row: within 1e-6 of their range (jNeuroML writes 8 significant
  digits), except where stated below;
* spike times exactly, with the documented labelling: eqsnn labels a spike with the
  start of the step that crossed (Brian2's convention); jNeuroML with its end (one dt
  later) for conditions outside regimes, and with the start inside the
  integrate/refractory regime pair (iafTauRefCell, iafRefCell, adExIaFCell).
"""
import numpy as np
import pytest

pytestmark = pytest.mark.slow

DT = 1e-5

# column of the output file -> what the trajectory is compared with
EXACT = ["iafTau", "iafTauRef", "iaf", "iafRef0", "iafRef1", "iz2003", "iz2003U", "iz2007",
         "iz2007u", "fnV", "fnW", "fn1969V", "hr", "hrz", "qif", "qifw", "exp1b", "exp2a",
         "alphaa", "alphab", "alphaIb", "sine", "prVs", "prVd", "prCad"]
# synapses with no delay: jNeuroML lets an event act on a cell advanced after its source
# in the same step; in eqsnn (as in Brian2) it acts from the next step on
ONE_STEP_LATER = ["exp1a", "exp2b", "alphaIa"]

# EventSelection id -> (population, neuron, jNeuroML label minus eqsnn label in steps)
SPIKES = {"0": ("iafTauPop", 0, 1), "1": ("iafTauRefPop", 0, 0), "2": ("iafPop", 0, 1),
          "3": ("iafRefPop", 0, 0), "4": ("iafRefPop", 1, 0), "5": ("iz2003Pop", 0, 1),
          "6": ("iz2007Pop", 0, 1), "8": ("hrPop", 0, 1),
          "9": ("clockPop", 0, 1), "10": ("exp1Pop", 1, 1), "12": ("qifPop", 0, 1)}


def test_pinsky_rinzel_spikes_like_jneuroml(core_reference, core_model):
    """The two-compartment CA3 cell of Pinsky & Rinzel (1994) at Fig. 2A's somatic
    current: the somatic spikes (upward crossings of 0 mV) are jNeuroML's."""
    def crossings(vs):
        return np.flatnonzero((vs[:-1] < 0) & (vs[1:] >= 0))
    ours = crossings(_trace(core_model, "prVs"))
    assert len(ours) >= 1
    np.testing.assert_array_equal(ours, crossings(core_reference.traces["prVs"][:-1]))


def _trace(model, column):
    monitor, variable, row = model.columns[column]
    return getattr(monitor, variable + "_")[row]


@pytest.mark.parametrize("column", EXACT)
def test_trajectory_equals_jneuroml(core_reference, core_model, column):
    ours = _trace(core_model, column)
    theirs = core_reference.traces[column][:-1]   # eqsnn records before each step
    assert ours.shape == theirs.shape
    scale = np.ptp(theirs) or 1.0
    assert np.max(np.abs(ours - theirs)) < 1e-6 * scale


@pytest.mark.parametrize("column", ONE_STEP_LATER)
def test_zero_delay_synapses_act_one_step_later(core_reference, core_model, column):
    ours, theirs = _trace(core_model, column), core_reference.traces[column][:-1]
    scale = np.ptp(theirs)
    assert np.max(np.abs(ours[1:] - theirs[:-1])) < 1e-6 * scale
    assert np.max(np.abs(ours - theirs)) > 1e-3 * scale   # not the same without the shift


@pytest.mark.parametrize("selection", sorted(SPIKES, key=int))
def test_spike_times_equal_jneuroml(core_reference, core_model, selection):
    population, neuron, offset = SPIKES[selection]
    monitor = core_model.monitors[f"{population}.spikes"]
    ours = monitor.t_[monitor.i == neuron]
    theirs = core_reference.spikes[selection]
    assert len(theirs) >= 2
    np.testing.assert_allclose(ours + offset * DT, theirs, atol=DT / 10)


def test_adex_agrees_to_the_order_of_the_method(core_reference, core_model):
    """jNeuroML advances the variables of a component with regimes one after the other
    (adExIaFCell's w already sees the new v: a sequential Euler step), eqsnn's euler all
    at once; both are first order and differ by O(dt) per unit time: 20 uV away from
    the spikes' upstrokes (where the exponential term amplifies any difference), 0.5 mV
    anywhere, spike times to 3 steps (with and without a refractory period)."""
    ours, theirs = _trace(core_model, "adEx"), core_reference.traces["adEx"][:-1]
    monitor = core_model.monitors["adExPop.spikes"]
    assert np.max(np.abs(ours - theirs)) < 5e-4
    far = np.ones(ours.size, dtype=bool)
    for spike in monitor.t_:
        k = int(round(spike / DT))
        far[max(k - 100, 0):k + 3] = False
    assert np.max(np.abs(ours - theirs)[far]) < 2e-5
    np.testing.assert_allclose(monitor.t_, core_reference.spikes["7"], atol=3.5 * DT)
    refractory = core_model.monitors["adExRefPop.spikes"]
    np.testing.assert_allclose(refractory.t_, core_reference.spikes["11"], atol=3.5 * DT)


def test_poisson_sources_fire_at_their_rate(core_reference, core_model):
    """Random draws differ between the simulators; the rates agree with the document's
    (spikeGeneratorPoisson at 50 Hz; poissonFiringSynapse at 400 Hz into expOneSynapse:
    the target's mean depolarisation agrees within 10 % of its size)."""
    duration = 0.15
    for selection in ("20", "21", "22", "23", "24"):
        count = len(core_reference.spikes[selection])
        assert abs(count - 50 * duration) < 5 * np.sqrt(50 * duration)
    ours = core_model.monitors["poissonPop.spikes"].num_spikes
    expected = 5 * 50 * duration
    assert abs(ours - expected) < 5 * np.sqrt(expected)
    late = slice(5000, None)   # after the first 50 ms
    rest = -0.070
    their_mean = core_reference.traces["poissonTarget"][:-1][late].mean() - rest
    our_mean = _trace(core_model, "poissonTarget")[late].mean() - rest
    assert their_mean > 2e-3
    assert abs(our_mean - their_mean) < 0.1 * their_mean
