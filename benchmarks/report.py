"""Tables of benchmark runs: medians per configuration, ratios, thread speed-ups and the
cost per unit of work. Used by ``run.py`` (after measuring, or ``--report`` on saved
JSON files); reads nothing but the runs' dictionaries.

A run is one fresh process: ``model``, ``size``, ``simulator``, ``cache``, ``threads``
(1 in files written before threads existed) and its measurements (``whole``, ``loop``,
...; see the workers).
"""
from __future__ import annotations

import statistics

import specs

FIELDS = ("whole", "cpu", "import", "prep", "loop", "run", "rss_mb", "spikes", "rate")
#: the compiled simulators of the cost-per-unit table
_COMPILED = ("eqsnn-c", "brian2-cpp", "nest", "handc", "handc-mt")
#: models whose spike monitor records the senders of all synaptic events
_EVENTS_SEEN = {"cuba", "cobahh", "izhikevich", "hh", "cuba-neurons", "izhikevich-neurons"}
_UNIT_SECONDS = {"ms": 1e-3, "second": 1.0, "us": 1e-6}


#: simulators saved under an older name (eqsnn's compiled backend was "cython")
_OLD_NAMES = {"eqsnn-cython": "eqsnn-c"}


def renamed(run: dict) -> dict:
    """A saved run with its simulator under today's name."""
    name = run["simulator"]
    return {**run, "simulator": _OLD_NAMES[name]} if name in _OLD_NAMES else run


def key(run: dict) -> tuple:
    return (run["model"], run["size"], run["simulator"], run["cache"], run.get("threads", 1))


def summarise(runs: list[dict]) -> list[dict]:
    """Medians per (model, size, simulator, cache, threads), with ratios to eqsnn-c
    at the same thread count."""
    groups: dict[tuple, list[dict]] = {}
    for r in runs:
        groups.setdefault(key(r), []).append(r)
    rows = []
    for (model, size, simulator, cache, threads), members in groups.items():
        row = {"model": model, "size": size, "simulator": simulator, "cache": cache,
               "threads": threads, "n": len(members)}
        for field in FIELDS:
            values = [m[field] for m in members if m.get(field) is not None]
            row[field] = statistics.median(values) if values else None
        # the fastest repetition: on a shared machine, the closest to an idle one
        row["loop_min"] = min(m["loop"] for m in members)
        row.update(_work(model, size, members))
        rows.append(row)
    for row in rows:
        reference = _reference(rows, row)
        for field in ("whole", "loop"):
            row[f"x_{field}"] = (row[field] / reference[field]
                                 if reference and reference[field] else None)
    return rows


def _work(model: str, size: int, members: list[dict]) -> dict:
    """Neuron-steps and synaptic events of a run, and loop nanoseconds per unit of both:
    flat across sizes when cost grows like neurons × steps + events. A run that counted
    its own work (the hand-written C, at its own dt) says so in ``neuron_steps`` and
    ``events``."""
    loop = statistics.median(m["loop"] for m in members)
    if "neuron_steps" in members[0]:
        steps = members[0]["neuron_steps"]
        events = statistics.median(m.get("events") or 0 for m in members)
        return {"neuron_steps": steps, "events": events,
                "ns_per_unit": loop / (steps + events) * 1e9}
    value, unit = specs.MODELS[model][2]
    steps = size * round(members[0]["duration"] / (value * _UNIT_SECONDS[unit]))
    if model not in _EVENTS_SEEN:
        return {"neuron_steps": steps, "events": None, "ns_per_unit": None}
    synapses = statistics.median(m.get("synapses", 0) for m in members)
    events = statistics.median(m["spikes"] for m in members) * synapses / size
    return {"neuron_steps": steps, "events": events,
            "ns_per_unit": loop / (steps + events) * 1e9}


def _reference(rows: list[dict], row: dict) -> dict | None:
    """The eqsnn-c row the given row is compared with: same model, size and thread
    count; cold rows and C++ standalone (which always compiles) against eqsnn cold, the
    rest against eqsnn warm."""
    wanted = row["cache"] if row["cache"] in ("cold", "warm") else (
        "cold" if row["simulator"] == "brian2-cpp" else "warm")
    for other in rows:
        if (other["model"], other["size"], other["simulator"], other["cache"],
                other["threads"]) == (row["model"], row["size"], "eqsnn-c", wanted,
                                      row["threads"]):
            return other
    return None


def format_table(rows: list[dict]) -> str:
    header = ("| model | N | simulator | cache | threads | whole s | ÷eqsnn | CPU s | import s "
              "| build+compile s | loop s | ÷eqsnn | RSS MB | spikes | rate Hz |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['size']} | {r['simulator']} | {r['cache']} | "
            f"{r['threads']} | {r['whole']:.3f} | {_ratio(r['x_whole'])} | "
            f"{_number(r['cpu'], '.2f')} | {r['import']:.3f} | {r['prep']:.3f} | "
            f"{r['loop']:.4f} | {_ratio(r['x_loop'])} | {_number(r['rss_mb'], '.0f')} | "
            f"{r['spikes']:.0f} | {r['rate']:.2f} |")
    return "\n".join(lines)


def format_speedups(rows: list[dict]) -> str:
    """Loop at 1 thread ÷ loop at N threads, per simulator that ran both: of the medians,
    and of the fastest repetitions (on a shared machine, the closest to an idle one)."""
    single = {(r["model"], r["size"], r["simulator"], r["cache"]): r
              for r in rows if r["threads"] == 1}
    lines = ["| model | N | simulator | cache | threads | loop s | 1-thread loop s | speed-up "
             "| fastest: loop s | 1-thread | speed-up | same spikes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        one = single.get((r["model"], r["size"], r["simulator"], r["cache"]))
        if r["threads"] == 1 or one is None:
            continue
        fastest = r.get("loop_min") or r["loop"]
        fastest_one = one.get("loop_min") or one["loop"]
        lines.append(f"| {r['model']} | {r['size']} | {r['simulator']} | {r['cache']} | "
                     f"{r['threads']} | {r['loop']:.4f} | {one['loop']:.4f} | "
                     f"{one['loop'] / r['loop']:.2f} | {fastest:.4f} | {fastest_one:.4f} | "
                     f"{fastest_one / fastest:.2f} | "
                     f"{'yes' if r['spikes'] == one['spikes'] else 'no'} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def format_growth(rows: list[dict]) -> str:
    """Loop cost per (neuron-step + synaptic event) for the compiled rows."""
    lines = ["| model | N | simulator | threads | loop s | neuron-steps | events | "
             "ns per unit |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("ns_per_unit") is None or r["simulator"] not in _COMPILED:
            continue
        if r["cache"] == "cold" and r["simulator"] != "brian2-cpp":
            continue
        lines.append(f"| {r['model']} | {r['size']} | {r['simulator']} | {r['threads']} | "
                     f"{r['loop']:.4f} | {r['neuron_steps']:.3g} | {r['events']:.3g} | "
                     f"{r['ns_per_unit']:.2f} |")
    return "\n".join(lines)


def format_all(rows: list[dict]) -> str:
    parts = [format_table(rows), format_speedups(rows), format_growth(rows)]
    return "\n\n".join(part for part in parts if part)


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _number(value, spec: str) -> str:
    return "–" if value is None else format(value, spec)
