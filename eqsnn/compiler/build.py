"""Building one compiled artefact: a network's plain C library, or a Cython extension.

A network is a plain C file compiled into a shared library that does not include
``Python.h`` and is called through :mod:`ctypes` (:func:`build_library`): one compile
and one link, ~0.3 s for a network. Cython modules (:func:`build_extension`, used for
other generated code such as the printers' tests) cost far more: translating the
``.pyx`` (~1 s) and compiling Cython's ~9,000 lines of C at ``-O3`` (~1 s).

No setuptools: ``build_ext`` costs ~0.5 s of overhead per module and spawns Cython in a
way that cannot be timed or quieted. Cython's compiler API turns the ``.pyx`` into C in
this process (after its first import, ~0.1 s for a network module); the C compiler is
then called once to compile (with the optimisation flags) and once to link (without
them; see :mod:`eqsnn.compiler.options`).
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sysconfig
import threading
import time
from pathlib import Path

from eqsnn.compiler.options import CompilerOptions
from eqsnn.compiler.stats import stats
from eqsnn.errors import CompilationError

__all__ = ["build_extension", "build_library", "support_include_dir", "python_include_dir"]

#: Lines of compiler output quoted in a CompilationError: enough for the first errors.
MAX_ERROR_LINES = 12

# Cython's compiler keeps module-level state (error counters, option globals); one
# compilation at a time per process.
_CYTHON_LOCK = threading.Lock()


def support_include_dir() -> str:
    """The folder holding ``eqsnn_support.h`` (the templates folder)."""
    from eqsnn.resources import template_dir
    return template_dir()


def python_include_dir() -> str:
    return sysconfig.get_paths()["include"]


def build_extension(pyx_path: Path, so_path: Path, module_name: str,
                    options: CompilerOptions) -> None:
    """``pyx_path`` → ``so_path`` (a loadable module called ``module_name``).

    Intermediate files go next to ``pyx_path``. Raises :class:`CompilationError` with
    the first errors (the caller adds where it kept the source).
    """
    c_path = pyx_path.with_suffix(".c")
    o_path = pyx_path.with_suffix(".o")
    _cythonize(pyx_path, c_path, module_name)
    started = time.perf_counter()
    try:
        _run(list(options.cc) + list(options.cflags) + [
            "-fPIC", "-I", python_include_dir(), "-I", support_include_dir(),
            "-c", c_path.name, "-o", o_path.name], c_path.parent)
        _run(list(options.cc) + ["-shared", o_path.name, "-o", str(so_path)]
             + list(options.ldflags), c_path.parent)
    finally:
        stats.cc_seconds += time.perf_counter() - started


def build_library(c_path: Path, so_path: Path, options: CompilerOptions) -> None:
    """``c_path`` (plain C, no Python) → the shared library ``so_path``.

    Intermediate files go next to ``c_path``. Raises :class:`CompilationError` with the
    first errors (the caller adds where it kept the source).
    """
    o_path = c_path.with_suffix(".o")
    started = time.perf_counter()
    try:
        _run(list(options.cc) + list(options.cflags) + [
            "-fPIC", "-I", support_include_dir(), "-c", c_path.name, "-o", o_path.name],
            c_path.parent)
        _run(list(options.cc) + ["-shared", o_path.name, "-o", str(so_path)]
             + list(options.ldflags), c_path.parent)
    finally:
        stats.cc_seconds += time.perf_counter() - started


def _cythonize(pyx_path: Path, c_path: Path, module_name: str) -> None:
    started = time.perf_counter()
    messages = io.StringIO()
    try:
        with _CYTHON_LOCK:
            from Cython.Compiler.Main import CompilationOptions, compile_single, default_options
            cython_options = CompilationOptions(default_options, output_file=str(c_path),
                                                language_level=3)
            # Cython echoes its errors to sys.stderr, read when a compilation starts
            with contextlib.redirect_stderr(messages), contextlib.redirect_stdout(messages):
                try:
                    result = compile_single(str(pyx_path), cython_options,
                                            full_module_name=module_name)
                    failed = result.num_errors > 0
                except Exception as exc:  # Cython's own CompileError/AbortError
                    print(f"{type(exc).__name__}: {exc}", file=messages)
                    failed = True
    finally:
        stats.cython_seconds += time.perf_counter() - started
    if failed or not c_path.exists():
        raise CompilationError(
            "Cython could not translate the generated module",
            hint=_first_lines(messages.getvalue()))


def _run(command: list[str], workdir: Path) -> None:
    # run inside the build folder with relative names: messages read "module.c:12:3"
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=workdir)
    except FileNotFoundError as exc:
        raise CompilationError(f"the C compiler {command[0]!r} was not found",
                               hint="install gcc or clang, or set CC") from exc
    if done.returncode != 0:
        raise CompilationError(
            f"the C compiler failed on the generated module (exit status {done.returncode})",
            hint=_first_lines(done.stderr + done.stdout)
            + f"\n  command: {' '.join(command)}")


def _first_lines(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    # errors first: Cython and gcc both say "error"; context lines follow them
    first_error = next((k for k, line in enumerate(lines) if "error" in line.lower()), 0)
    chosen = lines[first_error:first_error + MAX_ERROR_LINES]
    more = len(lines) - first_error - len(chosen)
    text = "\n    ".join(chosen) if chosen else "(no output)"
    return f"first errors:\n    {text}" + (f"\n    … {more} more lines" if more > 0 else "")
