"""The ``eqsnn`` command: ``demo``, ``derive``, ``models``, ``check``.

Every sub-command has ``--help``; bad arguments exit with status 2 and one line saying
what is wrong, and model errors print eqsnn's own message (with the caret) and exit 1.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    from eqsnn.errors import EqsnnError
    try:
        return args.handler(args)
    except EqsnnError as error:
        print(f"eqsnn: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eqsnn", description="Spiking neural networks from equation strings.")
    commands = parser.add_subparsers(title="commands")

    demo = commands.add_parser("demo", help="run a demo simulation, write a figure, print a summary")
    demo.add_argument("name", nargs="?", default="izhikevich", help="which demo (see --list)")
    demo.add_argument("--list", action="store_true", help="list the demos and exit")
    demo.add_argument("--duration", type=float, default=1.0, help="simulated seconds (default 1)")
    demo.add_argument("--output", default="eqsnn-demo.png", help="where to write the figure")
    demo.add_argument("--backend", choices=["cython", "numpy"], default=None)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(handler=_demo)

    check = commands.add_parser("check", help="parse a model file and check its units")
    check.add_argument("file", help="a text file of equations")
    check.set_defaults(handler=_check)

    derive = commands.add_parser("derive", help="print how a model's update rule is derived")
    derive.add_argument("model", help="a built-in model name (see 'eqsnn models') or a file")
    derive.add_argument("--method", default=None, help="integration method (default: chosen)")
    derive.add_argument("--format", choices=["text", "markdown", "latex"], default="text")
    derive.set_defaults(handler=_derive)

    models = commands.add_parser("models", help="list the built-in models and presets")
    models.set_defaults(handler=_models)
    return parser


def _demo(args) -> int:
    from eqsnn.demos import DEMOS
    if args.list:
        for name, (description, _) in DEMOS.items():
            print(f"{name:<16} {description}")
        return 0
    if args.name not in DEMOS:
        print(f"eqsnn: no demo called {args.name!r}; choose from {', '.join(DEMOS)}",
              file=sys.stderr)
        return 2
    if args.duration <= 0:
        print("eqsnn: --duration must be positive", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = DEMOS[args.name][1](args.duration, args.backend, args.seed)
    from eqsnn.plot import demo_figure
    figure = demo_figure(result)
    figure.savefig(args.output, dpi=110)
    print(_summary(result, args.output, time.perf_counter() - started))
    return 0


def _summary(result, output: str, wall: float) -> str:
    net = result.network
    spikes = result.spikes.num_spikes if result.spikes is not None else 0
    duration = net.t_
    rate = spikes / max(result.neurons, 1) / duration if duration else 0.0
    timing = net.timing
    return "\n".join([
        result.title,
        f"  neurons            {result.neurons}",
        f"  synapses           {result.synapses}",
        f"  simulated          {duration:g} s at dt = {net._dt * 1e3:g} ms ({net.backend} backend)",
        f"  spikes             {spikes}",
        f"  mean rate          {rate:.2f} Hz",
        f"  code gen + compile {timing.get('codegen_seconds', 0) + timing.get('compile_seconds', 0):.3f} s",
        f"  simulation loop    {timing.get('loop_seconds', 0):.3f} s",
        f"  wall time          {wall:.2f} s",
        f"  figure             {output}",
    ])


def _check(args) -> int:
    from eqsnn.equations import parse_equations
    text = _read(args.file)
    if text is None:
        return 2
    equations = parse_equations(text)
    print(equations)
    print(f"ok: {len(equations.differential)} differential equations, "
          f"{len(equations.subexpressions)} subexpressions, {len(equations.parameters)} parameters")
    return 0


def _derive(args) -> int:
    from eqsnn.integrators import derive
    model = _lookup_model(args.model)
    if model is None:
        return 2
    derivation = derive(model, method=args.method)
    text = {"text": derivation.to_text, "markdown": derivation.to_markdown,
            "latex": derivation.to_latex}[args.format]()
    print(text)
    return 0


def _lookup_model(name: str):
    path = Path(name)
    if path.exists():
        return path.read_text()
    try:
        from eqsnn import models
    except ImportError:
        models = None
    catalogue = models.catalogue() if models is not None and hasattr(models, "catalogue") else {}
    if models is not None and name in catalogue:
        return models.get(name) if hasattr(models, "get") else getattr(models, name)()
    print(f"eqsnn: {name!r} is neither a file nor a built-in model"
          + (f"; built-in models: {', '.join(catalogue)}" if catalogue else ""), file=sys.stderr)
    return None


def _models(args) -> int:
    from eqsnn import models
    for name, description in models.catalogue().items():
        print(f"{name:<28} {description}")
    return 0


def _read(file: str) -> str | None:
    try:
        return Path(file).read_text()
    except OSError as error:
        print(f"eqsnn: cannot read {file}: {error.strerror}", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main())
