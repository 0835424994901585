"""A time budget on symbolic work, so that no equation can hang the program.

SymPy is pure Python and has corners where a small input takes minutes or never ends
(``Piecewise`` canonicalisation of ``rand() < 1`` did, before :mod:`functions` told SymPy
that ``rand()`` is not a number). Every known case is fixed at its cause; this is the net
for the unknown ones. :func:`within_budget` runs a piece of symbolic work in the calling
thread; once it has used :func:`budget_seconds` of CPU time (the thread's own clock: a
busy machine that gives the work a small share of a core does not make it fail; wall
time where the OS has no thread clocks), a watchdog thread raises
:class:`_OutOfTime` *inside* the working thread (``PyThreadState_SetAsyncExc``, the
mechanism behind ``KeyboardInterrupt`` for threads), the nearest enclosing
:func:`within_budget` catches it and raises an :class:`~eqsnn.errors.SymbolicTimeoutError`
naming the line being worked on. This works in any thread (a signal would only work in
the main one) and costs one dictionary entry per call: one shared watchdog thread sleeps
until the earliest deadline.

Calls nest: only the outermost call starts the clock, and the innermost one, which knows
the most precise place, reports. The limit is ``EQSNN_SYMBOLIC_SECONDS`` (seconds,
default 30; the machine running CI may be slow).
"""
from __future__ import annotations

import ctypes
import itertools
import math
import os
import threading
import time
from typing import Callable, TypeVar

from eqsnn.errors import InvalidValueError, SourceSpan, SymbolicTimeoutError

__all__ = ["within_budget", "budget_seconds", "DEFAULT_SECONDS", "ENVIRONMENT_VARIABLE"]

DEFAULT_SECONDS = 30.0
ENVIRONMENT_VARIABLE = "EQSNN_SYMBOLIC_SECONDS"
T = TypeVar("T")


class _OutOfTime(BaseException):
    """Raised asynchronously in a thread whose symbolic work ran over its budget.

    A BaseException, so that SymPy's ``except Exception`` clauses cannot swallow it."""


def budget_seconds() -> float:
    """The limit on one piece of symbolic work, from ``EQSNN_SYMBOLIC_SECONDS``."""
    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if text is None or not text.strip():
        return DEFAULT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0:  # also NaN
        raise InvalidValueError(f"{ENVIRONMENT_VARIABLE}={text!r} is not a positive number "
                                f"of seconds", hint=f"e.g. {ENVIRONMENT_VARIABLE}=60, or unset "
                                                    f"it for the default of {DEFAULT_SECONDS:g} s")
    return seconds


_AGAIN_SECONDS = 0.5  # how soon an interruption is sent again while the work goes on
_MIN_SLEEP = 0.01


def _cpu_clock(thread_id: int):
    """The CPU-time clock of a thread (Linux, macOS: ``pthread_getcpuclockid``), or
    None where there is none (then the budget is wall time)."""
    try:
        return time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):
        return None


def _now(clock) -> float:
    return time.monotonic() if clock is None else time.clock_gettime(clock)


class _Watchdog:
    """One daemon thread that interrupts threads whose deadline has passed."""

    def __init__(self):
        self._wake = threading.Condition()
        # token → (deadline on the thread's CPU clock, thread id, that clock)
        self._deadlines: dict[int, tuple[float, int, object]] = {}
        self._fired: set[int] = set()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        self._sleeps_until = math.inf  # when the watchdog wakes next by itself

    def start(self, seconds: float) -> int:
        clock = _cpu_clock(threading.get_ident())
        with self._wake:
            token = next(self._tokens)
            deadline = _now(clock) + seconds
            self._deadlines[token] = (deadline, threading.get_ident(), clock)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True,
                                                name="eqsnn-symbolic-budget")
                self._thread.start()
            if time.monotonic() + seconds < self._sleeps_until:  # (waking it costs a switch)
                self._wake.notify()
            return token

    def stop(self, token: int) -> None:
        """Forget ``token``; an interruption sent but not yet delivered is withdrawn."""
        with self._wake:
            entry = self._deadlines.pop(token, None)
            if token in self._fired:
                self._fired.discard(token)
                if entry is not None:
                    _set_async_exception(entry[1], None)

    def _watch(self) -> None:
        with self._wake:
            while True:
                # how long until the first deadline, at the earliest: a thread's CPU
                # clock advances at most one second per second
                sleep = math.inf
                for token, (deadline, thread, clock) in list(self._deadlines.items()):
                    try:
                        now = _now(clock)
                    except OSError:  # the thread has ended
                        del self._deadlines[token]
                        continue
                    if deadline <= now:
                        self._fired.add(token)
                        _set_async_exception(thread, _OutOfTime)
                        # Again until stop(): Python prints and drops an exception that
                        # arrives inside a gc callback or a __del__ (seen under
                        # hypothesis), and the work would go on unguarded.
                        deadline = now + _AGAIN_SECONDS
                        self._deadlines[token] = (deadline, thread, clock)
                    sleep = min(sleep, deadline - now)
                self._sleeps_until = time.monotonic() + sleep
                self._wake.wait(timeout=max(sleep, _MIN_SLEEP) if sleep < math.inf else None)


def _set_async_exception(thread_id: int, exception) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()
_local = threading.local()


def within_budget(work: Callable[[], T], *, what: str, span: SourceSpan | None = None,
                  hint: str | None = None, seconds: float | None = None) -> T:
    """``work()``, or a :class:`SymbolicTimeoutError` about ``what`` at ``span`` if it
    runs over the budget.

    Parameters
    ----------
    work
        The symbolic work (a function without arguments).
    what
        What is being done, for the message: ``"building this subexpression"``.
    span
        Where in the user's text, if known.
    hint
        How to avoid the work, if there is a better way than a longer budget.
    seconds
        A limit of this call's own (for optional work with a cheap fallback); by
        default the outermost call's limit, :func:`budget_seconds`, covers it.
    """
    depth = getattr(_local, "depth", 0)
    if depth == 0:
        _local.seconds = budget_seconds()
    limit = seconds if seconds is not None else _local.seconds
    token = _WATCHDOG.start(limit) if depth == 0 or seconds is not None else None
    _local.depth = depth + 1
    try:
        try:
            return work()
        finally:
            _local.depth = depth
            if token is not None:
                _WATCHDOG.stop(token)
    except _OutOfTime:
        _local.depth = depth  # (the interruption may have arrived inside 'finally')
        if token is not None:
            _WATCHDOG.stop(token)
        raise SymbolicTimeoutError(
            f"{what} took longer than {limit:g} s of CPU time, the limit on symbolic work",
            span=span, hint=(hint + "; or " if hint else "") +
            f"raise the limit with the environment variable {ENVIRONMENT_VARIABLE}"
        ) from None
