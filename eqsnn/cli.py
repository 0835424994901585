"""The ``eqsnn`` command: ``demo``, ``derive``, ``models``, ``check``, ``cache``.

Every sub-command has ``--help``. A bad argument exits with status 2 and one line on
stderr saying what is wrong and how to fix it; an error in the user's model prints
eqsnn's own message (with the caret under the offending text) and exits with status 1.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from pathlib import Path

from eqsnn.targets import BACKENDS, DEPRECATED_NAMES

__all__ = ["main", "UsageError"]

_FORMATS = ("text", "markdown", "latex")
_FIGURE_TYPES = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


class UsageError(Exception):
    """A bad command-line argument: one line saying what and how to fix it (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line naming the fix (argparse prints usage
    and a separate error line; newcomers read neither)."""

    def error(self, message: str):  # noqa: D401  (argparse's signature)
        raise UsageError(f"{message} (see '{self.prog} --help')")


def main(argv: list[str] | None = None) -> int:
    """Run the ``eqsnn`` command with ``argv`` (default: ``sys.argv[1:]``); return the
    exit status: 0 success, 1 an error in the model, 2 a bad argument."""
    from eqsnn.errors import EqsnnError
    try:
        args = _parser().parse_args(argv)
        if not hasattr(args, "handler"):
            _parser().print_help()
            return 2
        return args.handler(args)
    except UsageError as error:
        print(f"eqsnn: {error}", file=sys.stderr)
        return 2
    except EqsnnError as error:
        print(f"eqsnn: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `eqsnn models | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    from eqsnn import __version__
    parser = _Parser(prog="eqsnn", description="Spiking neural networks from equation strings.")
    parser.add_argument("--version", action="version", version=f"eqsnn {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo", help="run a demo simulation, write a figure, print a summary",
        description="Run a real simulation, write its figure (raster, one neuron's trace, "
                    "population rate) and print what ran and how long it took.")
    demo.add_argument("name", nargs="?", default=None,
                      help="which demo (default: izhikevich; see --list)")
    demo.add_argument("--list", action="store_true", help="list the demos and exit")
    demo.add_argument("--duration", type=float, default=1.0, metavar="SECONDS",
                      help="simulated time in seconds (default 1)")
    demo.add_argument("--output", "-o", default="eqsnn-demo.png", metavar="FILE",
                      help="figure file, .png/.svg/.pdf (default eqsnn-demo.png)")
    demo.add_argument("--backend", choices=[*BACKENDS, *DEPRECATED_NAMES], default=None,
                      help="code backend: c or numpy (default: c if a C compiler works; "
                           "cython is the old name of c)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.set_defaults(handler=_demo)

    check = commands.add_parser(
        "check", help="parse a file of equations and check its units",
        description="Parse a text file of equations, check their units, print them back.")
    check.add_argument("file", help="a text file of equations")
    check.set_defaults(handler=_check)

    derive = commands.add_parser(
        "derive", help="print how a model's update rule is derived",
        description="Print the derivation of the discretised update of a built-in model "
                    "or synapse model (see 'eqsnn models') or of the equations in a file.")
    derive.add_argument("model", metavar="MODEL_OR_FILE",
                        help="a built-in model such as Izhikevich:RS, or a file of equations")
    derive.add_argument("--method", default=None,
                        help="integration method (default: the model's, else chosen)")
    derive.add_argument("--format", choices=_FORMATS, default="text",
                        help="output format (default text)")
    derive.set_defaults(handler=_derive)

    models = commands.add_parser(
        "models", help="list the built-in models and presets",
        description="List every built-in neuron and synapse model and preset, one line "
                    "each.")
    models.set_defaults(handler=_models)

    cache = commands.add_parser(
        "cache", help="show or clear the cache of compiled modules",
        description="Show where compiled network modules are cached and how much space "
                    "they take; --clear deletes them (they are rebuilt when next needed).")
    cache.add_argument("--clear", action="store_true", help="delete every cached module")
    cache.set_defaults(handler=_cache)
    return parser


# --- demo ---------------------------------------------------------------------------------
def _demo(args) -> int:
    from eqsnn.demos import DEMOS, DEFAULT
    if args.list:
        for name, (description, _) in DEMOS.items():
            print(f"{name:<20} {description}{'  (default)' if name == DEFAULT else ''}")
        return 0
    name = args.name or DEFAULT
    if name not in DEMOS:
        raise UsageError(f"no demo called {name!r}{_did_you_mean(name, DEMOS)}; "
                         f"'eqsnn demo --list' shows them all")
    if not args.duration > 0:
        raise UsageError(f"--duration must be a positive number of seconds, not {args.duration:g}")
    output = Path(args.output)
    if output.suffix.lower() not in _FIGURE_TYPES:
        raise UsageError(f"--output {args.output!r} is not an image file name; end it "
                         f"with one of {', '.join(_FIGURE_TYPES)}")
    if not output.parent.exists():
        raise UsageError(f"--output: the folder {str(output.parent)!r} does not exist; "
                         f"create it or choose another path")
    backend = args.backend
    if backend in DEPRECATED_NAMES:
        backend = DEPRECATED_NAMES[backend]
        print(f"eqsnn: --backend {args.backend} is now called --backend {backend}",
              file=sys.stderr)
    started = time.perf_counter()
    result = DEMOS[name][1](args.duration, backend, args.seed)
    import matplotlib
    matplotlib.use("Agg")
    from eqsnn.plot import demo_figure
    figure = demo_figure(result)
    figure.savefig(output, dpi=120)
    print(summary(result, str(output), time.perf_counter() - started))
    return 0


def summary(result, output: str, wall: float) -> str:
    """The lines ``eqsnn demo`` prints: what ran, what came out, how long it took."""
    net = result.network
    spikes = result.spikes.num_spikes if result.spikes is not None else 0
    duration = net.t_
    rate = spikes / max(result.neurons, 1) / duration if duration else 0.0
    timing = net.timing
    compile_seconds = timing.get("codegen_seconds", 0) + timing.get("compile_seconds", 0)
    return "\n".join([
        result.title,
        f"  neurons            {result.neurons}",
        f"  synapses           {result.synapses}",
        f"  simulated          {duration:g} s at dt = {net._dt * 1e3:g} ms ({net.backend} backend)",
        f"  spikes             {spikes}",
        f"  mean rate          {rate:.2f} Hz",
        f"  code gen + compile {compile_seconds:.3f} s (0 when the module was cached)",
        f"  simulation loop    {timing.get('loop_seconds', 0):.3f} s",
        f"  wall time          {wall:.2f} s",
        f"  figure             {output}",
    ])


# --- check, derive, models ------------------------------------------------------------------
def _check(args) -> int:
    """Every problem in the file, each with its caret; then the model and the constants
    it needs from a namespace (their units are unknown here, so only the terms around
    them are checked)."""
    from eqsnn.equations import parse_equations
    text = _read(args.file)
    problems, needed, functions = _model_problems(text)
    if problems:
        for problem in problems:
            print(f"eqsnn: {type(problem).__name__}: {problem}\n", file=sys.stderr)
        count = f"{len(problems)} problem{'s' * (len(problems) != 1)}"
        print(f"eqsnn: {count} in {args.file}", file=sys.stderr)
        for line in _needs(needed, functions):
            print(f"eqsnn: {line}", file=sys.stderr)
        return 1
    equations = parse_equations(text)
    print(equations)
    print(f"ok: {len(equations.differential)} differential equations, "
          f"{len(equations.subexpressions)} subexpressions, {len(equations.parameters)} parameters")
    for line in _needs(needed, functions):
        print(line)
    return 0


def _needs(constants: list[str], functions: list[str]) -> list[str]:
    lines = []
    if constants:
        lines.append(f"needs {len(constants)} constant{'s' * (len(constants) != 1)} from a "
                     f"namespace: {', '.join(constants)} (not defined in the file; the units "
                     f"of terms using them are checked when the model gets its namespace)")
    if functions:
        lines.append(f"needs {len(functions)} function{'s' * (len(functions) != 1)} from a "
                     f"namespace: {', '.join(functions)}")
    return lines


def _model_problems(text: str):
    """(problems, undefined constants, undefined functions) of a model's text: every
    definition is parsed and unit-checked on its own, so one mistake hides no other.
    An undefined constant counts as any unit: the terms beside it are still checked."""
    from eqsnn.equations.definitions import parse_definition
    from eqsnn.equations.expressions import RandomIds
    from eqsnn.equations.lines import split_definitions
    from eqsnn.equations.symbols import RESERVED_NAMES, is_noise_name
    from eqsnn.errors import EqsnnError
    problems, entries, ids = [], {}, RandomIds()
    try:
        definitions = list(split_definitions(text, label="equations"))
    except EqsnnError as error:
        return [error], [], []
    for definition in definitions:
        try:
            entry = parse_definition(definition, ids)
        except EqsnnError as error:
            problems.append(error)
            continue
        entries.setdefault(entry.name, entry)
    from eqsnn.units import UNIT_NAMES
    used = set().union(*(e.names for e in entries.values()))
    external = [n for n in used if n not in entries and n not in RESERVED_NAMES
                and not is_noise_name(n)]
    unit_dims = {n: UNIT_NAMES[n].dimensionality for n in external if n in UNIT_NAMES}
    needed = sorted(n for n in external if n not in unit_dims)
    functions = sorted(set().union(*(e.functions for e in entries.values())))
    dims = {**{n: None for n in needed + functions}, **unit_dims,
            **{n: e.dim for n, e in entries.items()}}
    for entry in entries.values():
        if entry.expr is not None:
            try:
                _check_entry_units(entry, dims, text)
            except EqsnnError as error:
                problems.append(error)
    problems.sort(key=lambda error: error.span.line if error.span else 0)
    return problems, needed, functions


def _check_entry_units(entry, dims, text: str) -> None:
    """The unit check Equations makes of one definition, with unknown names as any unit:
    its terms must agree, and so must its unit unless unknown names decide it."""
    # The checker itself, not check_dimensions(): that one reports "any unit" (None, an
    # unknown constant's) as dimensionless, and this check must tell the two apart.
    from eqsnn.equations.dimensions import _Checker
    from eqsnn.equations.model import _PER_SECOND, _raise_wrong_unit
    from eqsnn.errors import DimensionMismatchError, SourceSpan
    line = text.splitlines()[entry.line - 1]
    start, end = len(line) - len(line.lstrip()), len(line.split("#")[0].rstrip())
    span = SourceSpan(text, entry.line, start, max(end, start + 1), "equations")
    try:
        dim = _Checker(dims, span).dim(entry.expr)
    except DimensionMismatchError as error:
        raise DimensionMismatchError(f"inconsistent units in the definition of "
                                     f"{entry.name}: {error.message}", span=span,
                                     hint=error.hint) from None
    want = entry.dim * _PER_SECOND if entry.kind == "differential" else entry.dim
    if dim is not None and dim != want:
        _raise_wrong_unit(entry, dim, want, span)


def _derive(args) -> int:
    from eqsnn.integrators import registered_methods
    from eqsnn.lowering.teaching import derive
    methods = registered_methods()
    if args.method is not None and args.method not in methods:
        raise UsageError(f"--method {args.method!r} is not an integration method"
                         f"{_did_you_mean(args.method, methods)}; choose from "
                         f"{', '.join(methods)}")
    # a synapse model is derived as eqsnn.derive shows it (clock- and event-driven apart)
    derivation = derive(_lookup_model(args.model), method=args.method)
    print({"text": derivation.to_text, "markdown": derivation.to_markdown,
           "latex": derivation.to_latex}[args.format]())
    return 0


def _lookup_model(name: str):
    """A built-in model (neuron or synapse) by catalogue name, or the text of a file."""
    from eqsnn import models
    catalogue = {**models.catalogue(), **models.synapse_catalogue()}
    if name in catalogue:
        return models.get(name)
    path = Path(name)
    if path.is_file():
        return _read(name)
    if path.suffix or os.sep in name:
        raise UsageError(f"no file {name!r}; give an existing file of equations or a "
                         f"built-in model name ('eqsnn models' lists them)")
    raise UsageError(f"{name!r} is neither a file nor a built-in model"
                     f"{_did_you_mean(name, catalogue)}; 'eqsnn models' lists them")


def _models(args) -> int:
    from eqsnn import models
    sections = [("Neuron models", models.catalogue()),
                ("Synapse models (es.Synapses(source, target, model))",
                 models.synapse_catalogue())]
    width = max(len(name) for _, entries in sections for name in entries) + 2
    for k, (title, entries) in enumerate(sections):
        print(("\n" if k else "") + title)
        for name, description in entries.items():
            print(f"  {name:<{width}}{description}")
    counts = " and ".join(f"{len(entries)} {title.split()[0].lower()}" for title, entries
                          in sections)
    print(f"\n{counts} models and presets; 'eqsnn derive NAME' shows a derivation")
    return 0


def _cache(args) -> int:
    from eqsnn.compiler import cache_dir
    from eqsnn.compiler.cleanup import clear, contents
    folder = cache_dir()
    # Only what eqsnn put there (EQSNN_CACHE_DIR may point at a folder holding other
    # things): see eqsnn.compiler.cleanup.contents
    if not args.clear:
        found = contents(folder)
        print(f"{folder}\n  {found.modules} compiled modules, {found.size / 1e6:.1f} MB in all"
              f"{'; failed builds kept in ' + str(folder / 'failed') if (folder / 'failed').is_dir() else ''}")
        return 0
    removed = clear(folder)
    print(f"removed {removed.modules} compiled modules ({removed.size / 1e6:.1f} MB in all) "
          f"from {folder}")
    return 0


# --- helpers ------------------------------------------------------------------------------
def _read(file: str) -> str:
    try:
        return Path(file).read_text()
    except OSError as error:
        raise UsageError(f"cannot read {file!r}: {error.strerror}") from None


def _did_you_mean(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


if __name__ == "__main__":
    sys.exit(main())
