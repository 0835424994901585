"""connect(j="k for k in ..."), connect(i=...), sample(), skip_if_invalid and n= follow
Brian2's rules (docs_sphinx/user/synapses.rst, "Creating synapses with the generator
syntax"); every refusal points at the part of the string at fault."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import EqsnnError, EquationSyntaxError, InvalidValueError
from eqsnn.units import ms


def _pairs(syn):
    return list(zip(syn.i.tolist(), syn.j.tolist()))


def _synapses(n_pre=10, n_post=10, **kwargs):
    pre = es.NeuronGroup(n_pre, "x : 1")
    post = es.NeuronGroup(n_post, "x : 1\nv : volt")
    pre.x = "i"
    post.x = "10*i"
    return es.Synapses(pre, post, "w : 1", **kwargs)


def test_neighbourhood_with_skip_if_invalid_is_pythons_list_comprehension():
    syn = _synapses()
    syn.connect(j="k for k in range(i-3, i+4) if k != i", skip_if_invalid=True)
    expected = [(i, k) for i in range(10) for k in range(i - 3, i + 4)
                if k != i and 0 <= k < 10]
    assert _pairs(syn) == expected  # the order too: by i, then by k


def test_the_forms_of_brian2s_documentation():
    syn = _synapses()
    syn.connect(j="k for k in range(0, i+1)")                       # 0 <= j <= i
    assert _pairs(syn) == [(i, k) for i in range(10) for k in range(i + 1)]
    syn = _synapses()
    syn.connect(j="i+(-1)**k for k in range(2) if i>0 and i<N_pre-1")
    assert _pairs(syn) == [(i, i + (-1) ** k) for i in range(1, 9) for k in range(2)]
    syn = _synapses()
    syn.connect(j="int(i/2) if i % 2 == 0")                       # one value, a condition
    assert _pairs(syn) == [(0, 0), (2, 1), (4, 2), (6, 3), (8, 4)]
    syn = _synapses()
    syn.connect(i="j*2 if j < 5")                                    # over the targets
    assert _pairs(syn) == [(0, 0), (2, 1), (4, 2), (6, 3), (8, 4)]
    syn = _synapses()
    syn.connect(j="k for k in range(N_post-1, -1, -3)")              # a negative step
    assert _pairs(syn)[:4] == [(0, 9), (0, 6), (0, 3), (0, 0)] and syn.N == 40


def test_one_to_one_into_a_larger_target_and_its_refusal_into_a_smaller_one():
    syn = _synapses(5, 8)
    syn.connect(j="i")
    assert _pairs(syn) == [(k, k) for k in range(5)]
    syn = _synapses(8, 5)
    with pytest.raises(InvalidValueError, match=r"makes j = 5 for i = 5, outside the target "
                                                r"\(0..4\)"):
        syn.connect(j="i")
    assert syn.N == 0
    syn.connect(j="i", skip_if_invalid=True)
    assert syn.N == 5


def test_conditions_on_the_neurons_variables_and_the_outer_condition_first():
    syn = _synapses()
    # x_post = 10*j: the condition reads the target, so every j must exist first
    syn.connect(j="k for k in range(i, i+3) if x_post < 50", skip_if_invalid=True)
    assert _pairs(syn) == [(i, k) for i in range(10) for k in range(i, i + 3)
                           if k < 10 and 10 * k < 50]
    # a condition of i alone is tested before the range: range(i-1) is empty at i = 0,
    # and size=i-1 would be negative there without the condition
    syn = _synapses()
    syn.connect(j="k for k in sample(N_post, size=i-1) if i > 0")
    counts = np.bincount(syn.i, minlength=10)
    assert counts.tolist() == [0] + [i - 1 for i in range(1, 10)]


def test_sample_with_p_is_binomial_and_with_size_exact_and_distinct():
    syn = _synapses(400, 300, seed=3)
    syn.connect(j="k for k in sample(N_post, p=0.1)")
    expected, sd = 400 * 300 * 0.1, np.sqrt(400 * 300 * 0.1 * 0.9)
    assert abs(syn.N - expected) < 5 * sd
    assert len(set(_pairs(syn))) == syn.N          # no pair twice
    syn = _synapses(200, 300, seed=4)
    syn.connect(j="k for k in sample(10, 60, 2, size=i % 7)")
    counts = np.bincount(syn.i, minlength=200)
    assert counts.tolist() == [i % 7 for i in range(200)]
    assert np.all(np.isin(syn.j, np.arange(10, 60, 2))) and len(set(_pairs(syn))) == syn.N
    for i in range(200):                            # increasing within a source, as Brian2
        assert np.all(np.diff(syn.j[syn.i == i]) > 0)
    # each value of the range equally likely: 200 x 3 draws from 25 values
    syn = _synapses(2000, 300, seed=5)
    syn.connect(j="k for k in sample(10, 60, 2, size=3)")
    frequency = np.bincount((syn.j - 10) // 2, minlength=25) / (2000 * 3 / 25)
    assert np.all(np.abs(frequency - 1) < 0.2)


def test_sample_p_may_depend_on_the_source():
    syn = _synapses(100, 2000, seed=6)
    syn.connect(j="k for k in sample(N_post, p=i*1.0/(N_pre-1))")
    counts = np.bincount(syn.i, minlength=100)
    assert counts[0] == 0 and counts[-1] == 2000
    np.testing.assert_allclose(counts[1:-1], 2000 * np.arange(1, 99) / 99,
                               atol=5 * np.sqrt(2000 * 0.25))


def test_sample_sizes_out_of_range_are_refused_or_clipped_with_skip_if_invalid():
    syn = _synapses()
    with pytest.raises(InvalidValueError, match=r"sample\(size=12\) asks for more values "
                                                r"than the 10 in its range"):
        syn.connect(j="k for k in sample(N_post, size=12)")
    syn.connect(j="k for k in sample(N_post, size=12)", skip_if_invalid=True)
    assert syn.N == 100
    syn = _synapses()
    syn.connect(j="k for k in sample(N_post, size=i-5)", skip_if_invalid=True)
    assert np.bincount(syn.i, minlength=10).tolist() == [0] * 5 + list(range(5))


def test_multiple_synapses_per_pair():
    syn = _synapses()
    syn.connect(j="i", n=3)
    assert _pairs(syn) == [(i, i) for i in range(10) for _ in range(3)]
    syn = _synapses()
    syn.connect(i=[1, 2], j=[3, 4], n=2)
    assert _pairs(syn) == [(1, 3), (1, 3), (2, 4), (2, 4)]
    syn = _synapses()
    syn.connect("i == j", n="i % 3")
    assert _pairs(syn) == [(i, i) for i in range(10) for _ in range(i % 3)]


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_chain_built_with_a_generator_runs_the_same_on_both_backends(backend):
    group = es.NeuronGroup(20, "dv/dt = -v/(10*ms) : volt", threshold="v > 10*mV",
                           reset="v = 0*mV")
    group.v = "20*mV*(i == 0)"
    syn = es.Synapses(group, group, on_pre="v += 15*mV")
    syn.connect(j="k for k in range(i+1, i+2) if k < N_post")     # i -> i + 1
    spikes = es.SpikeMonitor(group)
    es.Network(group, syn, spikes, dt=0.1 * ms, backend=backend).run(5 * ms)
    assert np.asarray(spikes.i).tolist() == list(range(20))
    assert np.all(np.diff(np.asarray(spikes.t_)) > 0)    # one step per link


@pytest.mark.parametrize("kwargs, kind, expected, caret", [
    (dict(j="k for k in range(i-3, i+4) if k != i"), InvalidValueError,
     "the generator makes j = -3 for i = 0, outside the target (0..9)", "    ^\n"),
    (dict(j="k for k in range(j)"), InvalidValueError,
     "cannot use 'j': it is evaluated before the index j being made is known",
     " " * 21 + "^\n"),
    (dict(j="k for k in range(k)"), InvalidValueError,
     "cannot use 'k': it is evaluated before the iteration variable is known", None),
    (dict(j="k for k in sample(N_post, p=x_post)"), InvalidValueError,
     "cannot use 'x_post'", None),
    (dict(j="k for k in arange(3)"), EquationSyntaxError,
     "iterates over range(...) or sample(...), nothing else", " " * 15 + "^~~~~~~~~\n"),
    (dict(j="k for k, l in range(3)"), EquationSyntaxError,
     "iterates with one variable (not a tuple)", None),
    (dict(j="k for k in range(3) for l in range(2)"), EquationSyntaxError,
     "iterates over one range only", None),
    (dict(j="k for k in range(3) if k > 1 if k < 3"), EquationSyntaxError,
     "has at most one 'if'", None),
    (dict(j="k for k in range(1, 2, 3, 4)"), EquationSyntaxError,
     "range() in a generator of j takes 1 to 3 positional arguments", None),
    (dict(j="k for k in range(3, step=1)"), EquationSyntaxError,
     "range() in a generator of j takes no keyword arguments", None),
    (dict(j="k for k in sample(3)"), EquationSyntaxError,
     "sample() in a generator of j takes exactly one keyword", None),
    (dict(j="k for k in sample(3, p=0.1, size=2)"), EquationSyntaxError,
     "takes exactly one keyword", None),
    (dict(j="k for k in range(0, 3, 0)"), InvalidValueError,
     "the step of range() in a generator cannot be 0", None),
    (dict(j="k/2 for k in range(3)"), InvalidValueError,
     "must give whole numbers, but gives 0.5 for i = 0", None),
    (dict(j="k for k in range(3) if k"), InvalidValueError,
     "the 'if' part of a generator of j must be a condition", None),
    (dict(j="k*mV for k in range(3)"), EqsnnError, "must be dimensionless", None),
    (dict(j="k for k in range(M)"), EqsnnError, "unknown name 'M'", None),
    (dict(j="k for k in range(3) if z_post > 0"), EqsnnError,
     "'z_post' refers to a variable 'z' of the target group", None),
    (dict(j="k for k in range(N_incoming)"), EqsnnError,
     "N_incoming is not available in connect()", None),
    (dict(j="k for i in range(3)"), EquationSyntaxError,
     "cannot be called 'i'", None),
    (dict(j="__import__('os') for k in range(3)"), EquationSyntaxError,
     "'__import__' is not allowed", None),
    (dict(j="k for k in range(3)", i=[1]), InvalidValueError,
     "cannot be combined with i=", None),
    (dict(j="k for k in range(3)", p=0.5), InvalidValueError,
     "cannot be combined with condition, p or fixed_in", None),
    (dict(condition="k for k in range(3)"), InvalidValueError,
     "a generator goes to j= (or i=), not to the condition", None),
    (dict(i=[1], j=[2], skip_if_invalid=True), InvalidValueError,
     "skip_if_invalid=True only applies to a generator", None),
    (dict(j="i", n=-1), InvalidValueError, "the number of synapses per pair", None),
    (dict(j="i", n="0.5"), InvalidValueError, "gives 0.5 synapses for the pair i = 0", None),
])
def test_refusals_name_the_part_at_fault(kwargs, kind, expected, caret):
    syn = _synapses()
    with pytest.raises(kind) as error:
        syn.connect(**kwargs)
    message = str(error.value)
    assert expected in message
    if caret is not None:
        assert caret in message
    assert syn.N == 0  # nothing half-made


def test_a_generator_from_the_build_cache_gives_the_same_pairs(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    made = []
    for _ in range(2):  # the second one loads the record (no SymPy on that path)
        syn = _synapses(seed=8)
        syn.connect(j="k for k in sample(i, N_post, size=2) if k != i + 1",
                    skip_if_invalid=True)
        made.append(_pairs(syn))
    assert made[0] == made[1]
    assert list((tmp_path / "derived").glob("*.json"))
