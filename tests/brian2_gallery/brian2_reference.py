"""Brian2's own numbers for the gallery ports: runs Brian2's ORIGINAL example scripts.

Not a test, and not imported by the tests: it runs in the Brian2 venv that
``benchmarks/brian2_env.py`` creates (Brian2 2.9.0 needs numpy < 2.3), executes an
unmodified script of Brian2's ``examples/`` folder and writes what the figure shows —
spike counts, rates, samples of traces — into ``references.json`` beside it, which the
ports in this folder assert against. Reproduce an entry with::

    B2=$(python -c "import sys; sys.path.insert(0, 'benchmarks'); import brian2_env; print(brian2_env.brian2_python())")
    # Brian2's repository (any checkout of the 2.9 series), e.g. git clone https://github.com/brian-team/brian2
    $B2 tests/brian2_gallery/brian2_reference.py /path/to/brian2/examples IF_curve_LIF [more names]

How a script runs: with ``MPLBACKEND=Agg`` and ``plt.show`` a no-op (nothing is drawn
on screen), Brian2's default code generation target (Cython), ``set_device`` ignored
(the script runs in runtime mode; ``cpp_standalone`` gives the same numbers), and
``brian2.seed(s)`` — which also seeds numpy's global generator — before the script
starts. The monitors of every ``run()`` are copied when it ends (the results of
scripts that run inside functions, several times, stay reachable that way).
Deterministic scripts run with one seed; random ones with several, and their entry
keeps every seed's value so that the ports compare with the spread over seeds.

The numbers in references.json came from Brian2 2.9.0 (Cython target) running the
examples of brian-team/brian2 at commit aec54d2a; the scripts import matplotlib,
which the benchmark venv lacks: ``$B2 -m pip install matplotlib`` once.
"""
from __future__ import annotations

import sys

import numpy as np

import brian2
from _brian2_run import every, main, of_kind, run_script, script, upward_crossings


# --- the scripts and what is taken from each -------------------------------------------
# Names are the ports' names; seeds: one for deterministic scripts, several for random ones.
RANDOM = tuple(range(1, 9))


@script("IF_curve_LIF", "IF_curve_LIF.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"count": g["monitor"].count[:]}


@script("phase_locking", "phase_locking.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    count = np.asarray(g["S"].count[:])
    return {"total": int(count.sum()), "count_first_10": int(count[:10].sum()),
            "count_last_10": int(count[-10:].sum())}


@script("non_reliability", "non_reliability.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"total": g["spikes"].num_spikes}


@script("gapjunctions", "synapses/gapjunctions.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    v = np.asarray(g["trace"].v_)
    resets = [np.flatnonzero(np.diff(row) < -0.5).tolist() for row in v]
    return {"reset_steps": resets, "v_every_10ms": every(v, 100)}


@script("Brette_2004", "frompapers/Brette_2004.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    count = np.asarray(g["S"].count[:])
    return {"total": int(count.sum()), "count": count}


@script("adaptive_threshold", "adaptive_threshold.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    m = g["M_crossings"]
    return {"n_spikes": m.num_spikes, "v_mean_mV": float(np.mean(m.v_) * 1e3)}


@script("exprel_function", "advanced/exprel_function.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    n = g["neuron"]
    simple, improved = np.asarray(n.alpha_simple_), np.asarray(n.alpha_improved_)
    return {"alpha_improved_every_50": every(improved, 50),
            "alpha_simple_max_error": float(np.nanmax(np.abs(simple - improved)))}


@script("nonlinear", "synapses/nonlinear.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    # M records the target's g through the synapses (twice the same row)
    return {"g_post_every_1ms": every(g["Mn"].g_[0], 10), "g_syn_end": g["S"].g_syn_[:]}


@script("Wang_Buszaki_1996", "frompapers/Wang_Buszaki_1996.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    v = np.asarray(g["M"].v_[0])
    return {"spike_steps": upward_crossings(v, 0.0), "v_every_1ms": every(v, 100)}


@script("Morris_Lecar_1981", "frompapers/Morris_Lecar_1981.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    V = np.asarray(g["mon"].V_)
    return {"peaks": [upward_crossings(row, 0.0).size for row in V],
            "V_every_1ms": every(V[[0, 4, 12, 15]], 100)}


@script("IF_curve_Hodgkin_Huxley", "IF_curve_Hodgkin_Huxley.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"count": g["monitor"].count[:]}


@script("CUBA", "CUBA.py", seeds=(1, 2, 3, 4, 5, 6))
def _(path, seed):
    g, _ = run_script(path, seed)
    i = np.asarray(g["s_mon"].i[:])
    return {"rate": i.size / 4000, "rate_exc": float(np.sum(i < 3200) / 3200),
            "rate_inh": float(np.sum(i >= 3200) / 800)}


@script("COBAHH", "COBAHH.py", seeds=(1, 2, 3, 4, 5, 6))
def _(path, seed):
    g, _ = run_script(path, seed)
    v = np.asarray(g["trace"].v_)
    spikes = [upward_crossings(row, -0.02).size for row in v]
    return {"spikes_per_traced_neuron": float(np.mean(spikes)),
            "v_mean_mV": float(v.mean() * 1e3)}


@script("Brunel_Hakim_1999", "frompapers/Brunel_Hakim_1999.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    rate = np.asarray(g["LFP"].rate_)
    return {"rate": g["M"].num_spikes / 5000 / 0.1, "rate_sd_over_time": float(rate.std())}


@script("spatial_connections", "synapses/spatial_connections.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"n_deterministic": len(g["S_deterministic"]), "n_stochastic": len(g["S_stochastic"])}


@script("Ornstein_Uhlenbeck", "advanced/Ornstein_Uhlenbeck.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    y, t = np.asarray(g["M"].y_), np.asarray(g["M"].t_)
    late = t >= 5.0
    return {"var_slow": float(y[0, late].var()), "var_fast": float(y[1, late].var()),
            "mean_fast": float(y[1, late].mean())}


@script("Brette_Gerstner_2005", "frompapers/Brette_Gerstner_2005.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"spike_times_ms": np.asarray(g["spikes"].t_) * 1e3,
            "vm_every_1ms_mV": every(np.asarray(g["trace"].vm_[0]) * 1e3, 10)}


@script("Hindmarsh_Rose_1984", "frompapers/Hindmarsh_Rose_1984.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    x = np.asarray(g["mon"].x_)
    return {"spikes": [upward_crossings(row, 1.0).size for row in x],
            "spike_steps": [upward_crossings(row, 1.0) for row in x]}


@script("STDP", "synapses/STDP.py", seeds=(1, 2, 3, 4))
def _(path, seed):
    g, _ = run_script(path, seed)
    w = np.asarray(g["S"].w_) / g["gmax"]
    return {"w_mean": float(w.mean()), "fraction_above_0.9": float(np.mean(w > 0.9)),
            "fraction_below_0.1": float(np.mean(w < 0.1))}


@script("Diesmann_et_al_1999", "frompapers/Diesmann_et_al_1999.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    i = np.asarray(g["Mgp"].i[:])
    per_group = np.bincount(i // 100, minlength=10)
    return {"total": int(i.size), "last_group": int(per_group[-1]),
            "per_group": per_group, "n_synapses": len(g["S"])}


@script("Izhikevich_2003", "frompapers/Izhikevich_2003.py", seeds=(1, 2, 3, 4, 5, 6))
def _(path, seed):
    g, _ = run_script(path, seed)
    i = np.asarray(g["spikemon"].i[:])
    return {"rate_exc": float(np.sum(i < 800) / 800), "rate_inh": float(np.sum(i >= 800) / 200)}


@script("Brunel_2000", "frompapers/Brunel_2000.py", seeds=(1, 2, 3, 4))
def _(path, seed):
    g, runs = run_script(path, seed)
    out = {}
    for panel, run in zip("ABCD", runs):
        (rate,) = of_kind(run, "rate")
        out[f"rate_{panel}"] = float(np.mean(rate["rate"]))
        out[f"rate_sd_{panel}"] = float(np.std(rate["rate"]))
    return out


@script("Rossant_et_al_2011bis", "frompapers/Rossant_et_al_2011bis.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    count = np.asarray(g["M"].count[:])
    return {"uncorrelated": int(count[0]), "correlated": int(count[1])}


@script("Izhikevich_2007", "frompapers/Izhikevich_2007.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    m = g["synapse_stdp_monitor"]
    i, t = g["neurons_monitor"].it
    return {"spike_i": np.asarray(i), "spike_t": np.asarray(t),
            "s_every_100ms": every(m.s_[0], 1000), "c_every_100ms": every(m.c_[0], 1000),
            "d_every_100ms": every(m.d_[0], 1000)}


@script("state_variables", "synapses/state_variables.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    w = np.asarray(g["w_matrix"])
    return {"w_sum_mV": float(w.sum() * 1e3), "n_nonzero": int(np.count_nonzero(w)),
            "w_row_5_mV": (w[5] * 1e3)}


@script("jeffress", "synapses/jeffress.py", seeds=(1, 2, 3, 4))
def _(path, seed):
    g, _ = run_script(path, seed)
    count = np.asarray(g["spikes"].count[:])
    return {"total": int(count.sum()), "count": count,
            "delay_ms": np.asarray(g["synapses"].delay_) * 1e3}


@script("licklider", "synapses/licklider.py", seeds=(1, 2, 3, 4))
def _(path, seed):
    g, _ = run_script(path, seed)
    delays = np.asarray(g["synapses"].delay[1, [0, 99, 199, 299]] / brian2.second)
    return {"total": g["spikes"].num_spikes, "delays_1_s": delays}


@script("Sturzl_et_al_2000", "frompapers/Sturzl_et_al_2000.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"phi_est_deg": float(g["phi_est"] / g["degree"]),
            "total": int(np.sum(g["nspikes"])), "n_inh": len(g["synapses_inh"])}


@script("Tsodyks_Pawelzik_Markram_1998", "frompapers/Tsodyks_Pawelzik_Markram_1998.py")
def _(path, seed):
    g, runs = run_script(path, seed)
    out = {}
    for panel, run in zip("ABC", runs):
        state = of_kind(run, "state")[-1]
        v = np.asarray(state["v"][0]) * 1e3
        out[f"v_max_mV_{panel}"] = float(v.max())
        out[f"v_every_5ms_mV_{panel}"] = every(v, 50)
    return out


@script("continuous_interaction", "synapses/continuous_interaction.py")
def _(path, seed):
    g, _ = run_script(path, seed)
    vm = np.asarray(g["st_mon"].vm_)
    return {"spike_steps": [upward_crossings(row, 0.0) for row in vm],
            "s_in_1_every_1ms": every(g["st_mon"].s_in_[1], 10)}


@script("coupled_oscillators", "coupled_oscillators.py", seeds=(214040893, 1, 2, 3, 4, 5))
def _(path, seed):
    g, _ = run_script(path, seed, run_name="not_main")
    out = {}
    for K in (0, 1, 2, 4):
        theta = g["run_sim"](K / brian2.second, random_seed=seed)[:, -1]
        out[f"coherence_K{K}"] = float(np.abs(np.mean(np.exp(1j * np.asarray(theta)))))
    return out


@script("Naud_et_al_2008", "frompapers/Naud_et_al_2008_adex_firing_patterns.py")
def _(path, seed):
    g, runs = run_script(path, seed)
    out = {}
    for pattern, run in zip(g["patterns"], runs):
        (state,) = of_kind(run, "state")
        out[pattern] = int(np.sum(np.asarray(state["vm"][0]) > 0.0))
    return out


@script("custom_events", "advanced/custom_events.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"spikes": g["Mspike"].num_spikes, "gspikes": g["Mgspike"].num_events}


@script("reliability", "reliability.py", seeds=RANDOM)
def _(path, seed):
    g, _ = run_script(path, seed)
    return {"total": g["spikes"].num_spikes}


if __name__ == "__main__":
    main(sys.argv[1:])
