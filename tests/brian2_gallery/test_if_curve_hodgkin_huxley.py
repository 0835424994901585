"""Port of Brian2's examples/IF_curve_Hodgkin_Huxley.py: firing rate of 100 Traub–Miles
type HH neurons against their input current (0 to 0.7 nA), 2 s with
``exponential_euler``.

Features: ``exponential_euler`` on HH with ``exprel`` rates, ``Equations(...)``,
refractoriness given as a condition (``refractory="v > -40*mV"``: no new spike while v
stays above threshold), an initialiser reading an external constant.
Reference: Brian2 2.9.0 running the original (references.json
"IF_curve_Hodgkin_Huxley"; deterministic): every neuron's spike count must be Brian2's
(the same update to rounding; a count of spikes over 2 s does not move).
"""
import numpy as np

import eqsnn as es
from eqsnn.units import cm, mV, msiemens, second, siemens, ufarad, umetre

from _gallery import reference

def test_every_count_is_brian2s():
    area = 20000 * umetre ** 2
    namespace = {"Cm": 1 * ufarad * cm ** -2 * area, "gl": 5e-5 * siemens * cm ** -2 * area,
                 "El": -65 * mV, "EK": -90 * mV, "ENa": 50 * mV,
                 "g_na": 100 * msiemens * cm ** -2 * area,
                 "g_kd": 30 * msiemens * cm ** -2 * area, "VT": -63 * mV,
                 "num_neurons": 100}
    eqs = es.Equations("""
        dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
        dm/dt = 0.32*(mV**-1)*4*mV/exprel((13.*mV-v+VT)/(4*mV))/ms*(1-m)-0.28*(mV**-1)*5*mV/exprel((v-VT-40.*mV)/(5*mV))/ms*m : 1
        dn/dt = 0.032*(mV**-1)*5*mV/exprel((15.*mV-v+VT)/(5*mV))/ms*(1.-n)-.5*exp((10.*mV-v+VT)/(40.*mV))/ms*n : 1
        dh/dt = 0.128*exp((17.*mV-v+VT)/(18.*mV))/ms*(1.-h)-4./(1+exp((40.*mV-v+VT)/(5.*mV)))/ms*h : 1
        I : amp
        """)
    group = es.NeuronGroup(100, eqs, threshold="v > -40*mV", refractory="v > -40*mV",
                           method="exponential_euler", namespace=namespace)
    group.v = namespace["El"]
    group.I = "0.7*nA * i / num_neurons"
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes).run(2 * second)
    np.testing.assert_array_equal(spikes.count, reference("IF_curve_Hodgkin_Huxley")["count"])
