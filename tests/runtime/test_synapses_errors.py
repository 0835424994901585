"""Mistakes a user can make with Synapses: each is an eqsnn error saying what and how."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, EqsnnError, InvalidValueError, UnknownNameError
from eqsnn.units import mV, ms, nA


@pytest.fixture
def groups():
    pre = es.NeuronGroup(5, "x : 1", name="pre")
    post = es.NeuronGroup(4, "v : volt\nI : amp", name="post")
    return pre, post


def _message(error) -> str:
    return str(error.value)


@pytest.mark.parametrize("kwargs, kind, expected", [
    (dict(model="w : volt", on_pre="v_post += w*y_pre"), UnknownNameError,
     ["'y_pre' refers to a variable 'y' of the source group 'pre', which has no such variable",
      "v_post += w*y_pre\n                ^~~~~", "hint: the variables of 'pre' are ['x']"]),
    (dict(model="w : volt", on_pre="v_post += w + u_post"), UnknownNameError,
     ["'u_post' refers to a variable 'u' of the target group 'post'",
      "the variables of 'post' are ['I', 'v']"]),
    (dict(model="w : amp", on_pre="v_post += w"), DimensionMismatchError,
     ["on_pre: 'v_post += …' needs a value with unit volt, but the right-hand side has unit "
      "amp", "in on_pre"]),
    (dict(model="w : volt", on_post="x_pre *= w"), DimensionMismatchError,
     ["on_post: 'x_pre *= …' needs a value with unit 1 (dimensionless), but the right-hand "
      "side has unit volt"]),
    (dict(model="w : volt", on_pre="q += w"), UnknownNameError,
     ["on_pre assigns to 'q', which is neither a synaptic variable nor a state variable of "
      "the source or target group", "e.g. v_post += w"]),
    (dict(model="w : volt\nu_post = w : volt (summed)"), InvalidValueError,
     ["the summed variable 'u_post' must name a parameter of the target group 'post'",
      "declare 'u : <unit>' in the target's equations"]),
    (dict(model="w : volt\nI_post = w : volt (summed)"), DimensionMismatchError,
     ["I_post has unit volt but I of the target has unit amp"]),
    (dict(model="dz/dt = -z*v_post/(mV*second) : 1 (event-driven)"), InvalidValueError,
     ["the event-driven equation of 'z' uses v_post; an event-driven variable may depend "
      "only on event-driven variables and constants", "drop the (event-driven) flag"]),
    (dict(model="delay : second"), InvalidValueError,
     ["'delay' cannot be the name of a synaptic variable: it is taken by Synapses itself"]),
    (dict(model="n_pre : 1"), InvalidValueError,
     ["the suffixes _pre and _post refer to neuron variables"]),
    (dict(model="w : volt", delay="1*ms"), InvalidValueError,
     ["delay= takes one duration; set per-synapse delays after connect(): "
      "S.pre.delay = '1*ms'"]),
    (dict(model="w : volt", delay=-1 * ms), InvalidValueError,
     ["delay must be one non-negative duration such as 1*ms, not -1 ms"]),
    (dict(model="w : volt", delay=1 * mV), InvalidValueError,
     ["delay must be one non-negative duration such as 1*ms, not 1 mV"]),
    (dict(model="w : volt", delay={"pre": 1 * ms, "back": 1 * ms}), InvalidValueError,
     ["delay={...} names the pathways ['back'], but the pathways are ['pre', 'post']"]),
    (dict(model="w : volt", on_pre={"up": "v_post += w"}, delay={"down": 1 * ms}),
     InvalidValueError, ["delay={...} names the pathways ['down'], but the pathways are "
                         "['up', 'post']"]),
    (dict(model="w : volt", on_pre={"up": "v_post += w"}, on_post={"up": "w = 0*mV"}),
     InvalidValueError, ["the pathway name 'up' is used by both on_pre and on_post"]),
    (dict(model="w : volt", on_pre={"w": "v_post += w"}), InvalidValueError,
     ["the pathway name 'w' of", "is taken by a synaptic variable"]),
    (dict(model="w : volt", on_pre={"connect": "v_post += w"}), InvalidValueError,
     ["the pathway name 'connect' of", "is taken by Synapses itself"]),
    (dict(model="w : volt", on_pre={"2x": "v_post += w"}), InvalidValueError,
     ["on_pre={...}: '2x' cannot name a pathway"]),
    (dict(model="w : volt", on_pre={"up": 3}), InvalidValueError,
     ["on_pre must be a string of statements", "not int (pathway 'up')"]),
    (dict(model="w : volt", on_pre={"up": "v_post += w*mV"}), DimensionMismatchError,
     ["on_pre['up']"]),
    (dict(model="w : volt", on_pre="v_post += w", on_event={"up": "spike"}),
     InvalidValueError, ["on_event={...} names the pathways ['up'], but the pathways are "
                         "['pre']"]),
    (dict(model=42), InvalidValueError,
     ["model must be an equation string or a built-in synapse model, not int"]),
])
def test_bad_synapse_definitions(groups, kwargs, kind, expected):
    pre, post = groups
    with pytest.raises(kind) as error:
        es.Synapses(pre, post, **kwargs)
    for text in expected:
        assert text in _message(error)


def test_a_source_that_is_not_a_group():
    with pytest.raises(InvalidValueError, match="the source of a Synapses object must be a "
                                                "group of neurons, not int"):
        es.Synapses(3, es.NeuronGroup(1, "v : volt"))


@pytest.mark.parametrize("args, kwargs, expected", [
    ((), dict(p=1.5), "the connection probability p must lie in [0, 1], got 1.5"),
    ((), dict(p=[0.1]), "the connection probability p must be a number in [0, 1] or a "
                        "string expression, not [0.1]"),
    ((), dict(j="i+1"), "the generator makes j = 4 for i = 3, outside the target (0..3)"),
    ((), dict(j="i"), "the generator makes j = 4 for i = 4, outside the target (0..3)"),
    ((), dict(i=[1, 2]), "connect: give both i= and j= for explicit pairs"),
    ((), dict(i=[0, 1], j=[0, 1, 2]), "connect: i and j must have the same length (or one "
                                      "of them be a single index), got 2 and 3"),
    ((), dict(i=[0, 7], j=[0, 1]), "connect: i indices must lie in 0..4 (the source has 5 "
                                   "neurons), got 0..7"),
    ((), dict(i=[0], j=[4]), "connect: j indices must lie in 0..3 (the target has 4 neurons)"),
    ((), dict(i=[0.5], j=[1]), "connect: i must hold integer neuron indices, got values of "
                               "type float64"),
    ((), dict(i=[[0, 1]], j=[1, 2]), "connect: i must be one index or a 1-d array of "
                                     "indices, got shape (1, 2)"),
    ((), dict(i=[0], j=[1], p=0.5), "connect(i=..., j=...) makes exactly the pairs given; it "
                                    "cannot be combined with condition, p or fixed_in"),
    (("i + j",), {}, "the condition must be a comparison such as 'i != j', but 'i + j' is "
                     "a number"),
    (("v_post",), {}, "the condition must be dimensionless, but 'v_post' has unit volt"),
    (([1, 2],), {}, "the condition of connect() must be a string such as 'i != j' or a "
                    "bool, not list"),
    (("z_pre > 0",), {}, "'z_pre' refers to a variable 'z' of the source group 'pre'"),
    (("i < M",), {}, "unknown name 'M' in the condition"),
    ((), dict(fixed_in=9), "fixed_in=9 asks for more sources per target than the source has "
                           "neurons (5)"),
    ((), dict(fixed_in=-1), "fixed_in must be a non-negative integer (sources per target), "
                            "not -1"),
    ((), dict(fixed_in=2.5), "fixed_in must be a non-negative integer"),
    ((), dict(fixed_in=2, p=0.5), "connect(fixed_in=K) cannot be combined with p"),
    ((), dict(p="i*mV"), "the connection probability must be dimensionless, but 'i*mV' has "
                         "unit volt"),
])
def test_bad_connect_arguments(groups, args, kwargs, expected):
    pre, post = groups
    syn = es.Synapses(pre, post, "w : volt")
    with pytest.raises(EqsnnError) as error:
        syn.connect(*args, **kwargs)
    assert expected in _message(error)
    assert syn.N == 0  # nothing half-made


@pytest.mark.parametrize("name, value, kind, expected", [
    ("w", np.ones(3) * mV, InvalidValueError,
     "w needs 20 values (or one), but an array of shape (3,) was given"),
    ("w", 1 * nA, DimensionMismatchError, "w has unit volt, but the value given has unit amp"),
    ("w", 1.0, DimensionMismatchError, "w has unit volt, but a plain number was given"),
    ("w", "rand()*nA", DimensionMismatchError, "w has unit volt, but 'rand()*nA' has unit amp"),
    ("w", "rand()*wmin", UnknownNameError, "unknown name 'wmin' in the value of w"),
    ("delay", np.ones(4) * ms, InvalidValueError,
     "delay needs 20 values (or one), but an array of shape (4,) was given"),
    ("delay", "-1*ms", InvalidValueError, "delays must be finite and not negative (the pre "
                                          "pathway of 'syn')"),
    ("delay", 2 * mV, DimensionMismatchError, "delay has unit second, but the value given has "
                                              "unit volt"),
    ("q", 1, InvalidValueError, "Synapses 'syn' has no variable 'q' to set; its variables "
                                "are ['w']"),
])
def test_bad_values(groups, name, value, kind, expected):
    pre, post = groups
    syn = es.Synapses(pre, post, "w : volt", name="syn", namespace={"wmax": 1 * mV})
    syn.connect()
    with pytest.raises(kind) as error:
        setattr(syn, name, value)
    assert expected in _message(error)


def test_overlapping_summed_ranges_and_missing_groups_are_refused(groups):
    pre, post = groups
    whole = es.Synapses(pre, post, "w : amp\nI_post = w : amp (summed)", name="whole")
    part = es.Synapses(pre, post[1:3], "w : amp\nI_post = w : amp (summed)", name="part")
    whole.connect()
    part.connect()
    with pytest.raises(InvalidValueError, match=r"'part' sums into I of 'post' over neurons "
                                                r"1\.\.2, which overlaps another summed range"):
        es.Network(pre, post, whole, part, backend="numpy").run(0.1 * ms)
    with pytest.raises(InvalidValueError, match="'whole' uses 'pre', which is not in this "
                                                "network"):
        es.Network(post, whole, backend="numpy").run(0.1 * ms)


def test_built_in_models_refuse_unknown_parameters_and_wrong_units():
    from eqsnn.models import stdp
    with pytest.raises(InvalidValueError, match="(?s)synapse model 'PairAdditive' has no "
                                                "parameter 'taupr'.*did you mean 'taupre'"):
        stdp.PairAdditive(taupr=10 * ms)
    with pytest.raises(DimensionMismatchError, match="parameter 'taupre' of synapse model "
                                                     "'PairAdditive' has unit second"):
        stdp.PairAdditive(taupre=10 * mV)
    with pytest.raises(InvalidValueError, match="(?s)Triplet has no preset 'visual'.*did you "
                                                "mean 'visual_cortex'"):
        stdp.Triplet("visual")
