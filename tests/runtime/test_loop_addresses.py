"""The compiled loop is handed each array's data address at every call; the Program
reuses the last call's address of an array that is still the same object, and takes
a new one for an array replaced meanwhile (a grown buffer, synapses connected again)."""
import gc

import numpy as np

from eqsnn.runtime.backends import Program


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
