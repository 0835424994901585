"""The monitors, by one name: what a run records (see ``monitor_base`` for how the
compiled loop fills their buffers)."""
from eqsnn.runtime.spike_monitors import PopulationRateMonitor, SpikeMonitor
from eqsnn.runtime.state_monitor import StateMonitor, StateMonitorView

__all__ = ["SpikeMonitor", "StateMonitor", "PopulationRateMonitor", "StateMonitorView"]
