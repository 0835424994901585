"""Port of Brian2's examples/advanced/exprel_function.py: HH's opening rate
``x/(exp(x) - 1)`` written naively and with ``exprel``, evaluated for 1000 membrane
potentials within ±0.5 µV of the removable singularity at -50 mV.

Features: subexpressions read from a group outside a run (``neuron.alpha_improved``),
``exprel``, an array initialiser. Reference: Brian2 2.9.0 running the original
(references.json "exprel_function"; deterministic). The ``exprel`` form is accurate, so
it must equal Brian2's to 1e-12 relative (both are the correctly rounded rate up to a
few ulp). The naive form loses digits near the singularity: its error against the
exprel form is what the figure shows — Brian2's worst is 4.3e-4 Hz of 1280 Hz; eqsnn's
must be of the same order (between a tenth and ten times it), not absent and not worse.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import mV

from _gallery import reference


def test_rates_near_the_singularity():
    neuron = es.NeuronGroup(1000, """
        v : volt
        alpha_simple = 0.32*(mV**-1)*(-50*mV-v)/(exp((-50*mV-v)/(4*mV))-1.)/ms : Hz
        alpha_improved = 0.32*(mV**-1)*4*mV/exprel((-50*mV-v)/(4*mV))/ms : Hz
        """)
    neuron.v = np.linspace(-50 - .5e-6, -50 + .5e-6, len(neuron)) * mV
    expected = reference("exprel_function")
    improved = np.asarray(neuron.alpha_improved_)
    np.testing.assert_allclose(improved[::50], expected["alpha_improved_every_50"], rtol=1e-12)
    error = np.max(np.abs(np.asarray(neuron.alpha_simple_) - improved))
    brian2_error = expected["alpha_simple_max_error"]
    assert brian2_error / 10 < error < brian2_error * 10
