"""Stage 5: the objects a user simulates, and the run loop around the compiled module."""
from eqsnn.runtime.groups import NeuronGroup, Subgroup
from eqsnn.runtime.inputs import PoissonGroup, SpikeGeneratorGroup, TimedArray
from eqsnn.runtime.monitors import PopulationRateMonitor, SpikeMonitor, StateMonitor
from eqsnn.runtime.network import Network
from eqsnn.runtime.synapses import Synapses

__all__ = ["NeuronGroup", "Subgroup", "PoissonGroup", "SpikeGeneratorGroup", "TimedArray",
           "SpikeMonitor", "StateMonitor", "PopulationRateMonitor", "Network", "Synapses"]
