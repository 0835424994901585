"""The compiled loop is handed each array's data address at every call; the Program
reuses the last call's address of an array that is still the same object, and takes
a new one for an array replaced meanwhile (a grown buffer, synapses connected again)."""
import gc

import numpy as np

from eqsnn.runtime.backends import Program
from eqsnn.units import ms


def test_an_array_replaced_between_calls_gets_its_new_address():
    program = Program(source=None, module=None)
    a, b = np.zeros(10), np.zeros(1000, dtype=np.int32)
    assert program._addresses([a, b]) == [a.ctypes.data, b.ctypes.data]
    b = np.zeros(2000, dtype=np.int32)  # (the old one is freed: its memory may be reused)
    gc.collect()
    c = np.zeros(3000)
    assert program._addresses([a, b]) == [a.ctypes.data, b.ctypes.data]
    assert program._addresses([c, a, b]) == [c.ctypes.data, a.ctypes.data, b.ctypes.data]
    assert program._addresses([a, b, c]) == [a.ctypes.data, b.ctypes.data, c.ctypes.data]


def test_the_program_keeps_no_array_alive():
    import weakref
    program = Program(source=None, module=None)
    a = np.zeros(100)
    program._addresses([a])
    ref = weakref.ref(a)
    del a
    gc.collect()
    assert ref() is None


def _izhikevich_pair():
    import eqsnn as es
    from eqsnn.units import mV
    cells = es.NeuronGroup(200, """dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + 10*mV)/ms : volt
                                   du/dt = 0.02*(0.2*v - u)/ms : volt""",
                           threshold="v >= 30*mV", reset="v = -65*mV; u += 8*mV",
                           method="euler")
    cells.v = "-65*mV + 10*mV*i/N"
    exc = es.Synapses(cells[:160], cells, "w : volt", on_pre="v_post += w")
    exc.connect(p=0.2)
    exc.w = 0.5 * mV
    inh = es.Synapses(cells[160:], cells, "w : volt", on_pre="v_post += w")
    inh.connect()
    inh.w = -1 * mV
    return cells, exc, inh, es.Network(cells, exc, inh, es.SpikeMonitor(cells), threads=2)


def test_a_pathways_structure_is_computed_once_per_call(monkeypatch):
    """A pathway's 13 arrays and integers come from one propagation structure, computed
    once per call of the loop (PerCall), not once per getter."""
    from eqsnn.runtime import propagation, synapse_code
    cells, exc, inh, net = _izhikevich_pair()
    net.run(1 * ms)
    program = net._program
    assert len(program.source.held) == 2
    computed, calls = [], []
    real = propagation.pathway_structure
    monkeypatch.setattr(synapse_code, "pathway_structure",
                        lambda *a, **k: computed.append(a[0].name) or real(*a, **k))
    run = program.run
    program.run = lambda *a: calls.append(a) or run(*a)
    net.run(1 * ms)
    assert calls and sorted(computed) == sorted([exc.name, inh.name] * len(calls))


def test_a_shared_structure_is_never_stale_between_calls():
    """Outside a call's gathering a getter computes the structure afresh: synapses
    connected again between runs hand the loop their new row pointers."""
    cells, exc, inh, net = _izhikevich_pair()
    net.run(1 * ms)
    ptr = next(slot for slot in net._program.source.arrays if slot.cname.endswith("_pre_ptr"))
    before = ptr.get()
    exc.connect(p=0.1)
    assert ptr.get() is not before and ptr.get()[-1] == exc.N
    net.run(1 * ms)  # (the loop was handed the new pointers)
    k = net._program.source.arrays.index(ptr)
    assert net._program._known[k][0]() is ptr.get()
