"""How many loops gcc vectorises in the generated C of benchmark networks.

Renders the compiled module of COBAHH (400 neurons) and HH (100), and of HH with an
integer and a boolean variable written by its reset, compiles each with eqsnn's flags
plus ``-fopt-info-vec-optimized`` and prints the vectorised loops per model. Compare two
trees by running it with each on PYTHONPATH:

    PYTHONPATH=/work/main python benchmarks/vectorised_loops.py
    PYTHONPATH=/work/wt-lang python benchmarks/vectorised_loops.py typed

(no timings: a count of loops, the same on a noisy machine).
"""
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import eqsnn as es  # noqa: E402
import eqsnn.runtime.network as network  # noqa: E402
import models_eqsnn as m  # noqa: E402
import specs  # noqa: E402
from eqsnn.units import ms  # noqa: E402

FLAGS = ["-O3", "-ffast-math", "-fno-finite-math-only", "-march=native",
         "--param=vect-max-version-for-alias-checks=100", "-w", "-fopenmp", "-fPIC", "-c"]


def source_of(objects) -> str:
    captured = []
    original = network._build_source  # (the network module's name for it)

    def capture(builder):
        source = original(builder)
        captured.append(source.source)
        return source
    network._build_source = capture
    try:
        es.Network(*objects, backend="c", dt=0.1 * ms).run(0.2 * ms)
    finally:
        network._build_source = original
    return captured[-1]


def typed_hh():
    group = es.NeuronGroup(100, specs.HH_EQUATIONS + "\nn_spikes : integer\nfired : boolean",
                           threshold=specs.HH_THRESHOLD, reset="n_spikes += 1; fired = True",
                           refractory=m.q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace={**m.ns(specs.HH_NAMESPACE), "I_max": m.q(specs.HH_I_MAX)})
    group.v = m.q(specs.HH_NAMESPACE["El"])
    return [group]


def main() -> None:
    templates = pathlib.Path(es.__file__).resolve().parent.parent / "templates"
    models = {"cobahh": lambda: m.cobahh(400, 1).objects, "hh": lambda: m.hh(100, 1).objects}
    if "typed" in sys.argv[1:]:  # (a tree with ': integer' and ': boolean')
        models["hh + integer/boolean"] = typed_hh
    print(f"{'model':22} loops vectorised (source lines)   [eqsnn at {es.__file__}]")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in models.items():
            c_file = pathlib.Path(folder) / "network.c"
            c_file.write_text(source_of(build()))
            report = subprocess.run(["gcc", *FLAGS, f"-I{templates}", str(c_file), "-o",
                                     str(c_file.with_suffix(".o")), "-fopt-info-vec-optimized"],
                                    capture_output=True, text=True).stderr
            lines = [line.split(":")[1] for line in report.splitlines()
                     if "loop vectorized" in line]
            print(f"{name:22} {len(lines):3}  ({' '.join(lines)})")


if __name__ == "__main__":
    main()
