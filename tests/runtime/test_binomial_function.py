"""BinomialFunction(n, p) called as f() in user strings, as Brian2's: a binomial draw at
each call (normal approximation when n p > 5 and n (1 - p) > 5, unless approximate=False),
checked against the closed-form mean and variance and against scipy.stats.binom with a
chi-square test; the same draws on both backends and on two threads for one seed; its
calls checked."""
import numpy as np
import pytest
from scipy import stats

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms

CASES = [("c", 1), ("c", 2), ("numpy", 1)]
NEURONS, STEPS = 4000, 10    # 40 000 draws per call site


def _draws(backend, threads, functions, code, *, seed=3, neurons=NEURONS, steps=STEPS):
    """Every draw of the statements ``code`` (one variable each) per neuron and step."""
    names = sorted({line.split("=")[0].strip() for line in code.splitlines()})
    G = es.NeuronGroup(neurons, "\n".join(f"{n} : 1" for n in names), namespace=functions)
    G.run_regularly(code)
    M = es.StateMonitor(G, names, record=True, when="end")
    es.Network(G, M, backend=backend, threads=threads, seed=seed).run(steps * 0.1 * ms)
    return {n: getattr(M, f"{n}_").ravel() for n in names}


def _chi_square_p(draws, n, p):
    """p-value of Pearson's chi-square test of the counts against Binomial(n, p),
    pooling the tails so that every expected count is at least 5."""
    k = np.arange(n + 1)
    expected = stats.binom.pmf(k, n, p) * draws.size
    observed = np.bincount(draws.astype(int), minlength=n + 1)[: n + 1]
    edges, acc = [], 0.0
    for index, e in enumerate(expected):     # bins [edges[j], edges[j+1])
        acc += e
        if acc >= 5:
            edges.append(index + 1)
            acc = 0.0
    edges[-1] = n + 1
    starts = [0] + edges[:-1]
    obs = [observed[a:b].sum() for a, b in zip(starts, edges)]
    exp = [expected[a:b].sum() for a, b in zip(starts, edges)]
    return stats.chisquare(obs, np.array(exp) * sum(obs) / sum(exp)).pvalue


@pytest.mark.parametrize("n, p, approximate", [(20, 0.1, True), (30, 0.8, False),
                                               (7, 0.5, True), (1000, 0.003, True),
                                               (2000, 0.4, False)])   # q^n underflows
def test_exact_draws_follow_the_binomial(n, p, approximate):
    f = es.BinomialFunction(n, p, approximate=approximate)
    x = _draws("numpy", 1, {"f": f}, "x = f()")["x"]
    assert np.all(x == np.round(x)) and x.min() >= 0 and x.max() <= n
    sigma = np.sqrt(n * p * (1 - p))
    # the sample mean lies within 4 standard errors of n p, the variance within 4 of its
    # own (the variance of a sample variance: (mu4 - sigma^4 (m - 3)/(m - 1))/m)
    assert abs(x.mean() - n * p) < 4 * sigma / np.sqrt(x.size)
    mu4 = stats.binom.stats(n, p, moments="k") * sigma ** 4 + 3 * sigma ** 4
    assert abs(x.var(ddof=1) - sigma ** 2) < 4 * np.sqrt((mu4 - sigma ** 4) / x.size)
    assert _chi_square_p(x, n, p) > 1e-3


def test_the_normal_approximation_is_brian2s():
    f = es.BinomialFunction(1000, 0.3)              # n p = 300 > 5, n (1 - p) > 5
    x = _draws("numpy", 1, {"f": f}, "x = f()")["x"]
    assert np.any(x != np.round(x))                 # not whole numbers, as in Brian2
    sigma = np.sqrt(1000 * 0.3 * 0.7)
    assert abs(x.mean() - 300) < 4 * sigma / np.sqrt(x.size)
    assert abs(x.std() / sigma - 1) < 4 / np.sqrt(2 * x.size)
    assert stats.kstest((x - 300) / sigma, "norm").pvalue > 1e-3


def test_the_same_draws_on_both_backends_and_two_threads():
    functions = {"f": es.BinomialFunction(20, 0.1), "g": es.BinomialFunction(1000, 0.3),
                 "h": es.BinomialFunction(30, 0.8, approximate=False),
                 "big": es.BinomialFunction(2000, 0.4, approximate=False)}
    code = "x = f()\ny = g()\nz = h() + f() + big()"
    draws = {case: _draws(*case, functions, code, neurons=500) for case in CASES}
    for name in ("x", "y", "z"):   # threads: bit for bit
        np.testing.assert_array_equal(draws["c", 2][name], draws["c", 1][name])
    for name in ("x", "z"):        # exact draws: the same integers on both backends
        np.testing.assert_array_equal(draws["numpy", 1][name], draws["c", 1][name])
    # the normal approximation loc + scale*z: gcc may fuse it into one multiply-add
    np.testing.assert_allclose(draws["numpy", 1]["y"], draws["c", 1]["y"], rtol=1e-15)


def test_every_call_draws_anew():
    f = es.BinomialFunction(20, 0.5)
    d = _draws("numpy", 1, {"f": f}, "x = f()\ny = f()\nz = f() - f()")
    assert abs(np.corrcoef(d["x"], d["y"])[0, 1]) < 4 / np.sqrt(d["x"].size)
    assert abs(d["z"].var() - 2 * 5) < 0.5          # two independent draws: 2 n p q
    again = _draws("numpy", 1, {"f": f}, "x = f()\ny = f()\nz = f() - f()")
    np.testing.assert_array_equal(again["x"], d["x"])                   # one seed, one run
    other = _draws("numpy", 1, {"f": f}, "x = f()\ny = f()\nz = f() - f()", seed=4)
    assert np.any(other["x"] != d["x"])


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_in_resets_synaptic_code_and_initialisers(backend):
    flips = es.BinomialFunction(10, 0.5, approximate=False)
    G = es.NeuronGroup(200, "dv/dt = 1/ms : 1\nk : 1", threshold="v > 1",
                       reset="v = 0; k += flips()", namespace={"flips": flips})
    H = es.NeuronGroup(200, "w : 1", namespace={"flips": flips})
    S = es.Synapses(G, H, on_pre="w_post += flips()", namespace={"flips": flips})
    S.connect(j="i")
    H.w = "flips()"        # an initialiser draws from the group's generator
    start = H.w_.copy()
    assert np.all((start >= 0) & (start <= 10)) and abs(start.mean() - 5) < 1
    spikes = es.SpikeMonitor(G)
    es.Network(G, H, S, spikes, backend=backend, seed=1).run(5 * ms)
    assert np.all(spikes.count == 4)               # at 1.1, 2.2, 3.3 and 4.4 ms
    # 4 draws of mean 5 and variance 2.5 per neuron: the mean of 200 within 4 s.e.
    assert abs(G.k_.mean() - 20) < 4 * np.sqrt(10 / 200) and np.all(G.k_ == np.round(G.k_))
    assert abs((H.w_ - start).mean() - 20) < 4 * np.sqrt(10 / 200)
    assert np.any(H.w_ - start != G.k_)            # their own draws


def test_calls_and_values_are_checked():
    f = es.BinomialFunction(10, 0.5, name="flips")
    stim = es.TimedArray([1, 2], dt=1 * ms)
    with pytest.raises(InvalidValueError, match=r"(?s)flips draws random numbers and takes "
                                                r"no arguments.*x = flips\(1\).*call it as "
                                                r"flips\(\)"):
        es.NeuronGroup(1, "x : 1", reset="x = flips(1)", threshold="x > 1",
                       namespace={"flips": f}).threshold
    with pytest.raises(InvalidValueError, match="stim is called without arguments, which "
                                                "only a function that draws"):
        es.Network(es.NeuronGroup(1, "x = stim() : 1", namespace={"stim": stim})).run(1 * ms)
    with pytest.raises(InvalidValueError, match="stim is called without arguments, which "
                                                "only"):   # not "draws random numbers"
        group = es.NeuronGroup(1, "v : 1")
        es.Synapses(group, group, "x = stim() : 1", on_pre="v_post += x",
                    namespace={"stim": stim}).connect()
    with pytest.raises(InvalidValueError, match="stim is called without arguments, which "
                                                "only"):
        es.NeuronGroup(1, "x : 1", reset="x = stim()", threshold="x > 1",
                       namespace={"stim": stim}).threshold
    for n, p in [(1.5, 0.1), (-1, 0.1), (10, 1.2), (10, 3 * ms), (True, 0.5)]:
        with pytest.raises(InvalidValueError, match="of a BinomialFunction"):
            es.BinomialFunction(n, p)
    assert 0 <= f() <= 10 and f(5).shape == (5,)     # Python calls, numpy's generator


def test_in_synaptic_values_and_connect_conditions():
    flips = es.BinomialFunction(10, 0.5, approximate=False)
    stim = es.TimedArray([1, 2], dt=1 * ms)
    ns = {"flips": flips, "stim": stim}
    G = es.NeuronGroup(60, "x : 1", namespace=ns)
    S = es.Synapses(G, G, "w : 1", namespace=ns)
    S.connect(condition="flips() > 5")         # P(X > 5) = 386/1024 per pair
    p = stats.binom.sf(5, 10, 0.5)
    assert abs(S.N - 3600 * p) < 4 * np.sqrt(3600 * p * (1 - p))
    S.w = "flips()"
    assert abs(S.w_.mean() - 5) < 4 * np.sqrt(2.5 / S.N)
    S.w = "stim(1*ms) + i"                     # a TimedArray in a synaptic string too
    np.testing.assert_array_equal(S.w_, 2 + S.i)
    with pytest.raises(InvalidValueError, match="stim is called without arguments, which only"):
        S.w = "stim()"


def test_an_exact_table_is_data_not_source():
    # An exact draw with a large n p has thousands of table entries (9106 for n = 10^6,
    # p = 0.5): they are an array the network hands over, so the generated C is the
    # same size as for a small table (it was 202 kB against 10 kB at session 6's start:
    # PYTHONPATH=<tree> python <script> of session 6's leftovers note), and the draws
    # stay those of the numpy backend, on 1 and 2 threads.
    def run(f, backend, threads):
        G = es.NeuronGroup(300, "x : 1", namespace={"f": f})
        G.run_regularly("x = f()")
        M = es.StateMonitor(G, "x", record=True, when="end")
        net = es.Network(G, M, backend=backend, threads=threads, seed=7)
        net.run(0.5 * ms)
        return net._program.source.source, M.x_.ravel()

    big = es.BinomialFunction(10 ** 6, 0.5, approximate=False)
    small = es.BinomialFunction(40, 0.5, approximate=False)
    assert big._cdf.size > 9000
    source, draws = run(big, "c", 1)
    small_source, _ = run(small, "c", 1)
    assert "static const double cdf" not in source
    assert abs(len(source) - len(small_source)) < 100       # (the literals n, p, sizes)
    assert np.all(np.abs(draws - 5e5) < 6 * 500) and np.all(draws == np.round(draws))
    np.testing.assert_array_equal(run(big, "c", 2)[1], draws)
    np.testing.assert_array_equal(run(big, "numpy", 1)[1], draws)
