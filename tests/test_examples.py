"""Every example runs in its short mode, writes its figures, and its numbers are sane.

Each example runs in a fresh interpreter (as a user runs it), with
``EQSNN_EXAMPLE_SHORT=1`` and its output sent to a temporary folder; the numbers it
saves next to its figure (``NAME.json``) are checked against what the model must do.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(script: str, tmp_path: Path) -> str:
    env = {**os.environ, "EQSNN_EXAMPLE_SHORT": "1", "EQSNN_EXAMPLE_OUTPUT": str(tmp_path),
           "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def numbers(tmp_path: Path, figure: str) -> dict:
    png = tmp_path / f"{figure}.png"
    assert png.exists() and png.stat().st_size > 10_000, f"{figure}.png missing or empty"
    return json.loads(png.with_suffix(".json").read_text())


# --- one check per example: what its figure must show ---------------------------------------
def check_hh_square_pulse(tmp_path, out):
    n = numbers(tmp_path, "hh_square_pulse")
    assert n["spikes_outside_pulse"] == 0          # silent before and after the pulse
    assert 2 <= n["spikes_during_pulse"] <= 4       # ~70-100 Hz at 15 uA/cm2
    assert 30 < n["peak_v_mV"] < 50 and -66 < n["rest_v_mV"] < -64


def check_adex_firing_patterns(tmp_path, out):
    numbers(tmp_path, "adex_cell_types")
    n = numbers(tmp_path, "adex_naud_patterns")
    for cell in ("RS", "IB", "CH"):                 # more current, more spikes
        counts = [n[f"{cell}_{i}pA_spikes"] for i in (250, 350, 450)]
        assert counts == sorted(counts) and counts[-1] > counts[0] > 0
    assert n["transient_spikes"] <= 3               # fires at onset, then stops
    assert n["tonic_isi_cv"] < 0.1                  # regular intervals
    assert n["bursting_isi_cv"] > 0.8               # short intervals within bursts, long between
    assert n["delayed_accelerating_first_spike_ms"] > n["tonic_first_spike_ms"]


def check_phase_planes(tmp_path, out):
    n = numbers(tmp_path, "phase_planes")
    assert n["fhn_I=0"] == ["stable focus"] and n["fhn_I=0.5"] == ["unstable focus"]
    assert n["izhikevich_I=0"] == ["stable node", "saddle"] and n["izhikevich_I=10mV"] == []


def check_custom_model(tmp_path, out):
    n = numbers(tmp_path, "custom_model")
    # the derivation printed is that of the method the neurons are simulated with
    assert n["method"] == "rk4" and "'exact' rejected" in out
    assert "Derivation of the state update (method: rk4)" in out and "(method: rk2)" not in out
    assert 1 < n["mean_rate_hz"] < 100
    rates = n["fi_rates_hz"]
    assert rates[0] == 0 and rates[-1] > 20 and rates == sorted(rates)


def check_feedforward_lif_pattern(tmp_path, out):
    n = numbers(tmp_path, "feedforward_lif_pattern")
    assert n["output0_after_A"] >= 1 and n["output1_after_B"] >= 1   # each detects its order
    assert n["output0_after_B"] == n["output1_after_A"] == 0           # and not the other
    assert n["output0_after_slow"] == n["output1_after_slow"] == 0     # nor the slow one


def check_ei_network_stdp(tmp_path, out):
    n = numbers(tmp_path, "ei_network_stdp")
    assert 1 < n["exc_rate_hz"] < 30 and 1 < n["inh_rate_hz"] < 30
    assert n["mean_weight_end_mV"] != n["mean_weight_start_mV"]        # plasticity acted
    assert n["weight_sd_end_mV"] > n["weight_sd_start_mV"]             # weights spread out
    assert abs(n["mean_weight_end_mV"] - n["mean_weight_start_mV"]) < 0.2


def check_izhikevich_2003_network(tmp_path, out):
    n = numbers(tmp_path, "izhikevich_2003_network")
    assert n["synapses"] == 1_000_000
    assert 5 < n["rate_hz"] < 15                  # Brian2's same network: 9.2 Hz over 1 s
    assert n["inh_rate_hz"] > n["exc_rate_hz"] * 0.8


def check_izhikevich_normal_weights(tmp_path, out):
    n = numbers(tmp_path, "izhikevich_normal_weights")
    assert n["synapses"] == 999_000
    assert abs(n["weight_mean_mV"]) < 0.002 and abs(n["weight_sd_mV"] - 0.12) < 0.002
    assert 5 < n["rate_hz"] < 40


def check_stdp_song_miller_abbott(tmp_path, out):
    n = numbers(tmp_path, "stdp_song_miller_abbott")
    start, end = n["start_histogram_deciles"], n["histogram_deciles"]
    # the weights move to the bounds: both extreme deciles gain, the middle ones lose
    assert end[0] > start[0] and end[-1] > start[-1]
    assert sum(end[3:7]) < sum(start[3:7])
    assert n["last_second_rate_hz"] < n["first_second_rate_hz"]    # competition lowers the rate
    assert 5 < n["last_second_rate_hz"] < 60


def check_cuba_cobahh(tmp_path, out):
    n = numbers(tmp_path, "cuba_cobahh")
    assert 3 < n["CUBA_rate_hz"] < 10                # Brian2's CUBA: 5.7 +- 0.2 Hz
    assert 5 < n["COBAHH_rate_hz"] < 100             # self-sustained, not silent, not saturated
    assert n["COBAHH_exc_rate_hz"] > 1 and n["COBAHH_inh_rate_hz"] > 1


def check_two_populations_delays(tmp_path, out):
    n = numbers(tmp_path, "two_populations_delays")
    assert 10 <= n["delay_min_ms"] and n["delay_max_ms"] < 20       # per-synapse delays
    assert 12 < n["lag_ms"] < 25          # B follows A by the delay plus the current's rise
    assert n["b_spikes"] > 100 and n["b_spikes_outside_pulses_plus_80ms"] == 0


def check_basal_ganglia(tmp_path, out):
    n = numbers(tmp_path, "basal_ganglia")
    assert n["cortex_go_hz"] > 2 * n["cortex_before_hz"]
    assert n["striatum D1_go_hz"] > n["striatum D1_before_hz"] + 5   # direct pathway on
    assert n["GPi_go_hz"] < 0.9 * n["GPi_before_hz"]                  # GPi pauses
    assert n["thalamus_go_hz"] > 1.2 * n["thalamus_before_hz"]        # thalamus released
    assert n["GPi_before_hz"] > 20 and n["GPe_before_hz"] > 20        # tonic pallidum


def check_neuroml_round_trip(tmp_path, out):
    pytest.importorskip("lxml")
    pytest.importorskip("pynwb")
    n = numbers(tmp_path, "neuroml_round_trip")
    assert n["ca3_somatic_spikes"] >= 2             # Pinsky-Rinzel Fig. 2A bursts
    assert n["round_trip_identical"] and n["round_trip_spikes"] > 20
    assert n["nwb_samples"] == 15000 and n["neo_spiketrains"] == 3


CHECKS = {
    "hh_square_pulse.py": check_hh_square_pulse,
    "adex_firing_patterns.py": check_adex_firing_patterns,
    "phase_planes.py": check_phase_planes,
    "custom_model.py": check_custom_model,
    "feedforward_lif_pattern.py": check_feedforward_lif_pattern,
    "ei_network_stdp.py": check_ei_network_stdp,
    "izhikevich_2003_network.py": check_izhikevich_2003_network,
    "izhikevich_normal_weights.py": check_izhikevich_normal_weights,
    "stdp_song_miller_abbott.py": check_stdp_song_miller_abbott,  # by the synapses helper
    "cuba_cobahh.py": check_cuba_cobahh,
    "two_populations_delays.py": check_two_populations_delays,
    "basal_ganglia.py": check_basal_ganglia,
    "neuroml_round_trip.py": check_neuroml_round_trip,
}
# Over ~10 s with a cold compile cache (CI): still run, marked slow.
SLOW = {"adex_firing_patterns.py", "phase_planes.py", "hh_square_pulse.py", "ei_network_stdp.py",
        "izhikevich_2003_network.py", "izhikevich_normal_weights.py", "feedforward_lif_pattern.py",
        "stdp_song_miller_abbott.py", "cuba_cobahh.py", "neuroml_round_trip.py"}


def test_every_example_is_checked():
    scripts = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts <= set(CHECKS), \
        f"add a check to tests/test_examples.py for {sorted(scripts - set(CHECKS))}"


def test_every_example_says_what_and_why():
    for script in [s for s in CHECKS if (EXAMPLES / s).exists()]:
        text = (EXAMPLES / script).read_text()
        docstring = text.split('"""')[1]
        assert "What" in docstring and "Why" in docstring and "--short" in docstring, script


@pytest.mark.parametrize("script", [pytest.param(s, marks=pytest.mark.slow) if s in SLOW else s
                                    for s in CHECKS])
def test_example_runs_in_short_mode(script, tmp_path):
    if not (EXAMPLES / script).exists():
        pytest.skip(f"{script} is not written yet")
    out = run_example(script, tmp_path)
    CHECKS[script](tmp_path, out)
