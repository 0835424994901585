"""The Cython runner: every network's compiled loop is entered through it, GIL released."""
import threading
import time

import pytest

import eqsnn as es
from eqsnn.compiler.runner import runner
from eqsnn.units import mV, ms, nA, Mohm


def _network(N: int = 2000):
    group = es.NeuronGroup(N, "dv/dt = (El - v + R*I)/tau : volt\nI : amp",
                           threshold="v > -55*mV", reset="v = El", method="exact",
                           namespace={"El": -70 * mV, "R": 10 * Mohm, "tau": 10 * ms})
    group.v = -70 * mV
    group.I = "1.6*nA + 0.5*nA*i/N"
    return es.Network(group, backend="c")


def test_networks_run_through_the_cython_runner():
    net = _network(10)
    net.run(1 * ms)
    loop = net._program.module._loop
    assert isinstance(loop, runner().NetworkLoop)
    with pytest.raises(ValueError, match="takes 5 arrays, not 1|takes \\d+ arrays"):
        loop.run(0, 1, 1e-4, 0, [0], 0, 0)


def test_the_loop_runs_without_the_gil():
    net = _network()
    net.run(1 * ms)  # compile first
    ticks = []
    running = threading.Event()

    def count():
        running.set()
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    done = threading.Event()
    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    started = time.perf_counter()
    net._program.module.run(net._step, 200_000, net._dt, 1, *_arguments(net))
    finished = time.perf_counter()
    done.set()
    counter.join()
    during = [t for t in ticks if started < t < finished]
    # With the GIL held for the whole call, the counting thread could not tick at all.
    assert finished - started > 0.05
    assert len(during) >= 5, (len(during), finished - started)


def _arguments(net):
    import numpy as np
    source = net._program.source
    arrays = [slot.get() for slot in source.arrays]
    scalars = np.array([get() for _, get in source.scalars] or [0.0])
    iscalars = np.array([get() for _, get in source.int_scalars] or [0], dtype=np.int64)
    _arguments.keep = (arrays, scalars, iscalars)  # alive during the call
    return [a.ctypes.data for a in arrays], scalars.ctypes.data, iscalars.ctypes.data


def test_a_runner_built_in_the_cache_takes_the_flags_and_then_O0():
    from eqsnn.compiler import CompilerOptions
    from eqsnn.compiler.runner import runner_options
    given = CompilerOptions(cflags=("-O3", "-march=native", "-DX=1"), ldflags=("-lm",))
    built = runner_options(given)
    # the user's compiler, flags and link flags, then -O0 (the last -O wins)
    assert built.cc == given.cc and built.ldflags == given.ldflags
    assert built.cflags == ("-O3", "-march=native", "-DX=1", "-O0")
    assert runner_options(built) == built
    assert runner_options().cflags[-1] == "-O0"
    assert runner_options().cflags[:-1] == CompilerOptions().cflags


def test_the_cache_key_of_a_cython_module_reads_cythons_version_without_importing_it():
    import subprocess
    import sys
    import Cython
    from eqsnn.compiler.cache import cython_version
    assert cython_version() == Cython.__version__
    code = ("import sys\n"
            "from eqsnn.compiler.cache import cache_key, cython_version\n"
            "from eqsnn.compiler import CompilerOptions\n"
            "cache_key('x = 1', CompilerOptions())\n"
            "print(cython_version(), 'Cython' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == [Cython.__version__, "False"]
