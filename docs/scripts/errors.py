"""Write docs/errors.md: every error message a user may see, produced by eqsnn itself.

Nothing on that page is typed by hand: each entry is a piece of bad input, run through
eqsnn, and the message it raised. The equation-language cases are the ones the test
suite keeps (``tests/equations/test_errors.py``, each with its asserted fragments and,
where there is one, the corrected twin); the others are listed below. Run

    python docs/scripts/errors.py

after changing a message; ``tests/docs/test_docs.py`` fails while the page is stale.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "errors.md"


def _equation_cases():
    """(title, input, run, fix) from the equation-language test cases."""
    spec = importlib.util.spec_from_file_location(
        "_error_cases", ROOT / "tests" / "equations" / "test_errors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, kind, text, _cls, _fragments, valid in module.CASES:
        yield (name.replace("-", " "), f"{kind}: {text}",
               lambda kind=kind, text=text: module.parse(kind, text), valid)


def _runtime_cases():
    """Mistakes made with groups, values, monitors and networks."""
    import eqsnn as es
    from eqsnn.units import Hz, mV, ms, nA
    lif = "dv/dt = (El - v)/tau : volt"
    ns = {"El": -70 * mV, "tau": 10 * ms}

    def group(n=3, **kw):
        # A fixed name: default names count the groups made so far, and the page must
        # not change with the order of the cases.
        return es.NeuronGroup(n, lif, namespace=ns, name="cells", **kw)

    def synapses():
        cells = group()
        syn = es.Synapses(cells, cells, "w : volt", on_pre="v += w", name="S")
        syn.connect()
        return syn

    def set_value(value):
        def run():
            g = group()
            g.v = value
        return run

    def run_for(duration=None, dt=None):
        def run():
            net = es.Network(group(), **({"dt": dt} if dt is not None else {}))
            net.run(duration if duration is not None else 1 * ms)
        return run

    def blow_up():
        g = es.NeuronGroup(2, "dv/dt = v**2/(1*ms) : 1", method="euler", name="cells")
        g.v = [0.0, 5.0]
        es.Network(g, dt=0.1 * ms).run(50 * ms)

    def unit_changed():
        ns = {"El": -70 * mV, "tau": 10 * ms}
        net = es.Network(es.NeuronGroup(1, lif, namespace=ns, name="cells"), backend="numpy")
        net.run(0.1 * ms)
        ns["tau"] = 3 * mV
        net.run(0.1 * ms)

    def monitor_outside():
        g, other = group(), es.NeuronGroup(1, lif, namespace=ns, name="other")
        es.Network(g, es.SpikeMonitor(other)).run(1 * ms)

    def pathway_moved():
        gen = es.SpikeGeneratorGroup(1, [0], [0.9 * ms], name="gen")
        syn = es.Synapses(gen, group(), on_pre="v_post += 1*mV", delay=1 * ms, name="S")
        syn.connect()
        net = es.Network(gen, syn.target, syn, backend="numpy")
        net.run(1 * ms)
        syn.pre.when = "before_thresholds"
        net.run(1 * ms)

    return [
        ("unknown constant", "NeuronGroup(1, 'dv/dt = (El - v)/tau : volt', "
         "namespace={'El': -70*mV, 'tua': 10*ms}), then run() (names are resolved when "
         "the group is first used, as in Brian2)",
         lambda: es.Network(es.NeuronGroup(1, lif, namespace={"El": -70 * mV,
                                                              "tua": 10 * ms})).run(1 * ms),
         None),
        ("a number for a voltage", "group.v = -70", set_value(-70), "group.v = -70*mV"),
        ("wrong unit in a string initialiser", "group.v = 'El + 3*nA'", set_value("El + 3*nA"),
         None),
        ("a name of the loop in a string initialiser", "group.v = 'El + dt/ms*mV'",
         set_value("El + dt/ms*mV"), "group.v = 'El + 0.1*mV'"),
        ("wrong number of values", "group.v = [1, 2]*mV  (3 neurons)", set_value([1, 2] * mV),
         None),
        ("threshold that is not a condition", "threshold='v + 1*mV'",
         lambda: group(threshold="v + 1*mV"), "threshold='v > -50*mV'"),
        ("reset of an unknown variable", "reset='w = 0*mV'", lambda: group(reset="w = 0*mV"),
         None),
        ("reset with the wrong unit", "reset='v = 2*nA'", lambda: group(reset="v = 2*nA"), None),
        ("negative group size", "NeuronGroup(-1, ...)", lambda: group(-1), None),
        ("a flag of synaptic equations in a neuron group",
         "NeuronGroup(1, 'dapre/dt = -apre/(20*ms) : 1 (event-driven)')",
         lambda: es.NeuronGroup(1, "dapre/dt = -apre/(20*ms) : 1 (event-driven)",
                                name="cells"), None),
        ("a pathway moved across its sender's threshold with spikes in flight",
         "S.pre.when = 'before_thresholds' between two runs, a spike on its way",
         pathway_moved, None),
        ("negative refractory period", "refractory=-1*ms",
         lambda: group(threshold="v > 0*mV", refractory=-1 * ms), None),
        ("unknown variable to record", "StateMonitor(group, 'w')",
         lambda: es.StateMonitor(group(), "w"), None),
        ("record index out of range", "StateMonitor(group, 'v', record=[5])  (3 neurons)",
         lambda: es.StateMonitor(group(), "v", record=[5]), None),
        ("a record index that is not a whole number", "StateMonitor(group, 'v', record=[1.7])",
         lambda: es.StateMonitor(group(), "v", record=[1.7]), "record=[1]"),
        ("a monitor's active set to a number", "SpikeMonitor(group).active = 0",
         lambda: setattr(es.SpikeMonitor(group()), "active", 0), "active = False"),
        ("a read-only variable given to set_states()", "group.set_states({'N': 5})",
         lambda: group().set_states({"N": 5}), "group.set_states({'v': [-70, -65, -60]*mV})"),
        ("a pandas DataFrame asked for with units", "group.get_states(format='pandas')",
         lambda: group().get_states(format="pandas"),
         "group.get_states(units=False, format='pandas')"),
        ("a constant that changed its unit between runs",
         "ns['tau'] = 3*mV between two runs (tau was 10*ms)", unit_changed, "ns['tau'] = 3*ms"),
        ("a duration without unit", "net.run(100)", run_for(100), "net.run(100*ms)"),
        ("a negative duration", "net.run(-5*ms)", run_for(-5 * ms), None),
        ("a dt without unit", "Network(..., dt=0.1)", run_for(dt=0.1), "dt=0.1*ms"),
        ("monitor of a group outside the network", "Network(g, SpikeMonitor(other))",
         monitor_outside, None),
        ("the model blows up", "dv/dt = v**2/(1*ms) : 1, v = 5, euler", blow_up, None),
        ("unknown integration method", "NeuronGroup(..., method='rk5')",
         lambda: group(method="rk5"), "method='rk4'"),
        ("method that cannot integrate the equations",
         "NeuronGroup(1, 'dv/dt = v**2/(10*ms) : 1', method='exact')",
         lambda: es.NeuronGroup(1, "dv/dt = v**2/(10*ms) : 1", method="exact"), None),
        ("unknown built-in model", "eqsnn.models.get('Izhikevic')",
         lambda: es.models.get("Izhikevic"), None),
        ("unknown preset", "Izhikevich('XY')", lambda: es.models.Izhikevich("XY"), None),
        ("wrong unit for a model parameter", "LIF(tau=10*mV)",
         lambda: es.models.LIF(tau=10 * mV), None),
        ("unknown scheduling slot", "StateMonitor(group, 'v', when='after_reset')",
         lambda: es.StateMonitor(group(), "v", when="after_reset"), "when='after_resets'"),
        ("clocks without a common time step",
         "group.run_regularly('v = El', dt=0.1001*ms); Network(group, dt=0.1*ms)",
         lambda: es.Network(_with_block(group(), dt=0.1001 * ms), dt=0.1 * ms).run(1 * ms),
         "dt=0.1*ms, or dt=0.15*ms (a grid of 0.05 ms)"),
        ("a new dt at a time that is not a multiple of it",
         "net.run(0.5*ms); net.dt = 0.2*ms", lambda: _change_dt(group()),
         "net.dt = 0.25*ms"),
        ("a shared statement after a per-neuron one in run_regularly",
         "NeuronGroup(3, 'x : 1\\ncalls : 1 (shared)').run_regularly('x = 1\\ncalls += 1')",
         lambda: es.NeuronGroup(3, "x : 1\ncalls : 1 (shared)", name="cells")
         .run_regularly("x = 1\ncalls += 1"), "run_regularly('calls += 1\\nx = 1')"),
        ("a slot that is not in the network's schedule",
         "net.schedule = ['thresholds', 'resets', 'end']; net.run(1*ms)",
         lambda: _schedule_without_groups(group()), "net.schedule = None"),
        ("an object the network does not hold", "net.remove(other)",
         lambda: es.Network(group()).remove(synapses()), None),
        ("a state file that is not eqsnn's", "net.restore('a', filename='brian2_state.pkl')",
         lambda: _restore_pickle(group()), None),
        ("an exception in a network operation",
         "@network_operation def stop(): raise RuntimeError('no data')",
         lambda: es.Network(group(), es.NetworkOperation(_raise, name="stop")).run(1 * ms),
         None),
        ("generator making an index outside the target",
         "S.connect(j='k for k in range(i-3, i+4) if k != i')",
         lambda: synapses().connect(j="k for k in range(i-3, i+4) if k != i"),
         "S.connect(j='k for k in range(i-3, i+4) if k != i', skip_if_invalid=True)"),
        ("generator range using the index being made", "S.connect(j='k for k in range(j)')",
         lambda: synapses().connect(j="k for k in range(j)"),
         "S.connect(j='k for k in range(N_post) if k < i')"),
        ("a number as a connect condition", "S.connect(condition='j > 0 and v_pre')",
         lambda: synapses().connect(condition="j > 0 and v_pre"),
         "S.connect(condition='j > 0 and v_pre > -60*mV')"),
        ("string index that is not a condition", "cells.v['i + 1']",
         lambda: group().v["i + 1"], "cells.v['i > 1']"),
        ("synaptic index out of range", "S.w[7, 0]  (3 sources)",
         lambda: synapses().w.__getitem__((7, 0)), None),
        ("a delay for a pathway that does not exist",
         "Synapses(cells, cells, on_pre={'up': 'v += 1*mV'}, delay={'down': 1*ms})",
         lambda: es.Synapses(group(), group(), on_pre={"up": "v += 1*mV"},
                             delay={"down": 1 * ms}, name="S"),
         "delay={'up': 1*ms}"),
        ("a pathway triggered by an event the group does not have",
         "Synapses(cells, cells, on_pre='v += 1*mV', on_event='burst')",
         lambda: es.Synapses(group(), group(), on_pre="v += 1*mV", on_event="burst",
                             name="S"),
         "NeuronGroup(..., events={'burst': 'v > -55*mV'})"),
        ("code for an event the group does not define", "cells.run_on_event('burst', 'v = El')",
         lambda: group().run_on_event("burst", "v = El"), None),
        ("a pathway triggered by synapses", "Synapses(S, cells, on_pre='v += 1*mV')",
         lambda: es.Synapses(synapses(), group(), on_pre="v += 1*mV", name="T"), None),
        ("synaptic code writing a neuron's refractoriness",
         "Synapses(cells, cells, on_pre='not_refractory_post = 0')",
         lambda: es.Synapses(group(), group(), on_pre="not_refractory_post = 0", name="S"),
         None),
        ("a third synaptic index without a multisynaptic index", "S.w[0, 1, 0]",
         lambda: synapses().w.__getitem__((0, 1, 0)),
         "Synapses(cells, cells, 'w : volt', multisynaptic_index='k'); S.w[0, 1, 0]"),
        ("a subexpression drawing random numbers without (constant over dt)",
         "NeuronGroup(1, 'dv/dt = y/ms : 1\\ny = rand() : 1')",
         lambda: es.NeuronGroup(1, "dv/dt = y/ms : 1\ny = rand() : 1", name="cells"),
         "y = rand() : 1 (constant over dt)"),
        ("a pathway assigning to a (constant over dt) subexpression",
         "Synapses(cells, cells, 'w : volt\\ns = 2*w : volt (constant over dt)', "
         "on_pre='s = 1*mV')",
         lambda: es.Synapses(group(), group(), "w : volt\ns = 2*w : volt (constant over dt)",
                             on_pre="s = 1*mV", name="S"), "on_pre='v += s'"),
        ("PoissonInput weight with the wrong unit",
         "PoissonInput(cells, 'v', N=100, rate=10*Hz, weight=1*nA)",
         lambda: es.PoissonInput(group(), "v", N=100, rate=10 * Hz, weight=1 * nA, name="P"),
         "weight=0.1*mV"),
        ("a function that draws, given arguments",
         "BinomialFunction(10, 0.5, name='flips'); reset='v = flips(1)*mV'",
         lambda: es.NeuronGroup(3, lif, threshold="v > 0*mV", reset="v = flips(1)*mV",
                                namespace={**ns, "flips": es.BinomialFunction(10, 0.5,
                                                                              name="flips")},
                                name="cells").reset, "reset='v = flips()*mV'"),
        ("a TimedArray called without arguments", "reset='v = stim()*mV', "
         "namespace={'stim': TimedArray([1, 2], dt=1*ms), ...}",
         lambda: es.NeuronGroup(3, lif, threshold="v > 0*mV", reset="v = stim()*mV",
                                name="cells", namespace={
                                    **ns, "stim": es.TimedArray([1, 2], dt=1 * ms)}).reset,
         "reset='v = stim(t)*mV'"),
        ("a spike generator's period that is not a whole number of steps",
         "SpikeGeneratorGroup(1, [0], [0]*ms, period=1.25*ms); Network(gen, dt=0.1*ms).run()",
         lambda: es.Network(es.SpikeGeneratorGroup(1, [0], [0] * ms, period=1.25 * ms,
                                                   name="gen"), dt=0.1 * ms).run(1 * ms),
         "period=1.2*ms or period=1.3*ms"),
    ]


def _schedule_without_groups(group):
    import eqsnn as es
    from eqsnn.units import ms
    net = es.Network(group)
    net.schedule = ["thresholds", "resets", "end"]
    net.run(1 * ms)


def _restore_pickle(group):
    import os
    import pickle
    import tempfile

    import eqsnn as es
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # (a relative name: the folder must not reach the page)
        try:
            with open("brian2_state.pkl", "wb") as f:
                pickle.dump({"a": {}}, f)
            es.Network(group).restore("a", filename="brian2_state.pkl")
        finally:
            os.chdir(here)


def _change_dt(group):
    import eqsnn as es
    from eqsnn.units import ms
    net = es.Network(group, dt=0.1 * ms)
    net.run(0.5 * ms)
    net.dt = 0.2 * ms


def _with_block(group, dt):
    group.run_regularly("v = El", dt=dt)
    return group


def _raise():
    raise RuntimeError("no data")


def _checked_value_cases():
    """Values checked where they are given, sizes the loop cannot hold, names, and what
    a run reports (issue 19): each must be an eqsnn error, never a crash or a raw one."""
    import os
    import tempfile
    import threading
    import time

    import eqsnn as es
    from eqsnn.units import ms, second
    lif = "dv/dt = -v/(10*ms) : 1"

    def with_environment(name, value, run):
        def wrapped():
            saved = os.environ.get(name)
            os.environ[name] = value
            try:
                run()
            finally:
                if saved is None:
                    del os.environ[name]
                else:
                    os.environ[name] = saved
        return wrapped

    def set_size():
        es.NeuronGroup(3, lif, name="cells").N = 50_000_000

    def second_run():
        net = es.Network(es.NeuronGroup(1000, lif, name="cells"), backend="numpy")
        first = threading.Thread(target=net.run, args=(2 * second,),
                                 kwargs={"progress": False})
        first.start()
        try:
            while not net._running.locked():  # (until the first run has begun)
                time.sleep(0.001)
            net.run(1 * ms)
        finally:
            first.join()

    def long_delay():
        cells = es.NeuronGroup(2, "v : 1", threshold="v > 1", name="cells")
        syn = es.Synapses(cells, cells, "w : 1", on_pre="v_post += w", delay=1e30 * second,
                          name="links")
        syn.connect(i=[0], j=[1])
        es.Network(cells, syn, backend="numpy").run(1 * ms)

    def reset_writes_nan():
        cells = es.NeuronGroup(2, "dv/dt = 1/ms : 1\np : 1", threshold="v > 0.5",
                               reset="v = 0; p = log(v - 1)", name="cells")
        es.Network(cells, backend="numpy").run(2 * ms)

    def cache_is_a_file():
        # a relative path in a fresh folder: the message names the path as given
        here = os.getcwd()
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            try:
                Path("notes.txt").write_text("")
                with_environment("EQSNN_CACHE_DIR", "notes.txt",
                                 lambda: es.compiler.ensure_built("int f(void) { return 1; }",
                                                                  name_hint="page",
                                                                  kind="c"))()
            finally:
                os.chdir(here)

    return [
        ("a dt that is not finite", "Network(..., dt=nan*ms)",
         lambda: es.Network(dt=float("nan") * ms), "dt=0.1*ms"),
        ("an endless run", "net.run(inf*ms)", lambda: es.Network().run(float("inf") * ms),
         None),
        ("a dt so small that a run never ends", "Network(..., dt=1e-300*ms).run(1*ms)",
         lambda: es.Network(es.NeuronGroup(1, lif, name="cells"), dt=1e-300 * ms).run(1 * ms),
         None),
        ("a group too large for the loop's indices", "NeuronGroup(2**31, ...)",
         lambda: es.NeuronGroup(2**31, lif), None),
        ("changing the size of a group", "group.N = 50_000_000", set_size, None),
        ("a refractory period that is not a number", "refractory=nan*ms",
         lambda: es.NeuronGroup(1, lif, threshold="v > 1", refractory=float("nan") * ms),
         "refractory=2*ms"),
        ("a delay longer than memory can hold", "Synapses(..., delay=1e30*second)",
         long_delay, None),
        ("a namespace key that is not a name", "namespace={1: 2}",
         lambda: es.NeuronGroup(1, lif, namespace={1: 2}), None),
        ("a namespace value given as a string", "namespace={'tau': '10*ms'}",
         lambda: es.NeuronGroup(1, "dv/dt = -v/tau : 1", namespace={"tau": "10*ms"}),
         "namespace={'tau': 10*ms}"),
        ("a namespace value that is not a real number", "namespace={'tau': 1j*ms}",
         lambda: es.NeuronGroup(1, "dv/dt = -v/tau : 1", namespace={"tau": 1j * ms}), None),
        ("a namespace entry named like a built-in", "namespace={'exp': table}, "
         "'dv/dt = exp(-v)/(10*ms) : 1'",
         lambda: es.NeuronGroup(1, "dv/dt = exp(-v)/(10*ms) : 1", namespace={"exp": 2.0}),
         None),
        ("two spellings of one name", "namespace={'afi': 1, 'a\ufb01': 2}",
         lambda: es.NeuronGroup(1, "dv/dt = -afi*v/(10*ms) : 1",
                                namespace={"afi": 1.0, "a\ufb01": 2.0}), None),
        ("an integer literal beyond float64", "threshold='v > 1' + '0'*309",
         lambda: es.NeuronGroup(1, lif, threshold="v > 1" + "0" * 309), None),
        ("a second run() while one is in progress", "net.run(...) from another thread",
         second_run, None),
        ("a reset that writes nan", "reset='v = 0; p = log(v - 1)'", reset_writes_nan, None),
        ("a Brian2 name eqsnn spells differently", "es.run(100*ms)",
         lambda: es.run(100 * ms), "net = es.Network(...); net.run(100*ms)"),
        ("a cache folder that is a file", "EQSNN_CACHE_DIR=notes.txt", cache_is_a_file, None),
        ("compiler flags with an unclosed quote", "EQSNN_CFLAGS='-O2 \"-DX'",
         with_environment("EQSNN_CFLAGS", '-O2 "-DX', lambda: es.CompilerOptions()), None),
        ("a compiler test time that is not a number", "EQSNN_COMPILER_PROBE_SECONDS=soon",
         with_environment("EQSNN_COMPILER_PROBE_SECONDS", "soon", lambda: es.Network(
             compiler=es.CompilerOptions(cflags="-O1 -DEQSNN_ERRORS_PAGE"))), None),
        ("a thread count that is not a number", "EQSNN_THREADS=two",
         with_environment("EQSNN_THREADS", "two", lambda: es.Network()), None),
        ("a symbolic time limit that is not a number", "EQSNN_SYMBOLIC_SECONDS=soon",
         with_environment("EQSNN_SYMBOLIC_SECONDS", "soon",
                          lambda: es.Equations("dv/dt = -v/(3*ms) : 1")), None),
    ]


def _entry(title: str, given: str, run: Callable, fix: str | None) -> str:
    from eqsnn.errors import EqsnnError
    try:
        run()
    except EqsnnError as error:
        message = f"{type(error).__name__}: {error}"
    else:
        raise SystemExit(f"the case {title!r} raised no error: update docs/scripts/errors.py")
    lines = [f"### {title[0].upper() + title[1:]}", "", "```text", given, "```", "",
             "```text", message, "```"]
    if fix:
        lines += ["", "Corrected:", "", "```text", fix, "```"]
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole page, as text."""
    parts = [
        "# Error messages",
        "",
        "Every error eqsnn raises because of its input is an `eqsnn.errors.EqsnnError`",
        "(catch that to catch them all), with a subclass saying what kind of problem it is:",
        "`EquationSyntaxError`, `UnknownNameError`, `ReservedNameError`,",
        "`DimensionMismatchError`, `UnsupportedEquationsError`, `InvalidValueError`,",
        "`NumericalInstabilityError`, `CompilationError`, `SymbolicTimeoutError`. A",
        "message says what is wrong,",
        "where (the line of your text with a caret under the column), and how to fix it.",
        "",
        "This page is generated by `docs/scripts/errors.py`, which runs each bad input",
        "below through eqsnn and copies the message it raised: what you read here is what",
        "you will see.",
        "",
        "## The equation language",
        "",
        "Equations, thresholds and resets (see [the equation language](equations.md)).",
        "",
    ]
    parts += [_entry(*case) for case in _equation_cases()]
    parts += ["## Groups, values, monitors and runs", ""]
    parts += [_entry(*case) for case in _runtime_cases()]
    parts += ["## Checked values, sizes, names and the environment", "",
              "Every value is checked at the call that takes it; sizes the compiled loop "
              "cannot hold are refused before anything is allocated; a run reports what "
              "went wrong in it. (A piece of symbolic work that runs over its time limit "
              "raises `SymbolicTimeoutError`, naming the line being worked on.)", ""]
    parts += [_entry(*case) for case in _checked_value_cases()]
    return "\n".join(parts)


if __name__ == "__main__":
    PAGE.write_text(render())
    print(f"wrote {PAGE}", file=sys.stderr)
