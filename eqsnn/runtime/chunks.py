"""What the run loop does in Python between two chunks of compiled steps.

A run is a series of calls into the compiled (or numpy) loop, each for a chunk of steps.
Between chunks, and only there, Python looks for NaN, updates the progress bar, sizes
the next chunk and lets Ctrl-C stop the run at a step boundary with every array
consistent (a later ``run()`` continues from there).

A chunk lasts about CHUNK_SECONDS of wall time. A loop that keeps to a time budget
(``Program.timed``: the numpy twin, and the compiled loop wherever its threads wait for
each other within a step) is asked for the rest of the run at every call, with that
budget, and ends the call itself; the chunk a call's speed suggests (``next_chunk``)
then only sizes the recording buffers' room. Any other loop is asked for chunks of
steps: 100 first, to learn the speed, then what the speed suggests. Where calls end
never changes a result (the state, the random numbers and what is recorded are the
same however a run is cut).
"""
from __future__ import annotations

import signal
import threading
import time

try:  # (the handler itself: signal.signal wraps it in enum conversions, one of which
    # raises and catches a ValueError for a function handler; ~80 us a run cold, after
    # the loop has swept the caches, against ~10 us: docs/threads.md, session 13)
    from _signal import signal as _set_handler
except ImportError:  # (not CPython)
    from signal import signal as _set_handler

from eqsnn.display import progress_bar
from eqsnn.runtime.finite import check_finite

__all__ = ["StopAtStepBoundary", "run_chunks", "next_chunk", "update_progress"]

CHUNK_SECONDS = 0.25   # wall time per chunk: Ctrl-C, progress and NaN checks this often
PROGRESS_AFTER = 3.0   # show a progress bar when a run is expected to take longer


class StopAtStepBoundary:
    """Ctrl-C during a run only sets a flag; the loop stops after the current chunk.

    Python would otherwise raise KeyboardInterrupt at whatever bytecode runs next — in
    the numpy backend, halfway through a step; after the compiled loop returns, before
    the network's clock has advanced. Both would leave the state inconsistent. Outside
    the main thread signals cannot be handled, and the flag is never set.
    """

    def __init__(self):
        self.pressed = False
        self._previous = None

    def __enter__(self) -> "StopAtStepBoundary":
        if threading.current_thread() is threading.main_thread():
            self._previous = _set_handler(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.pressed:  # a second Ctrl-C: the user insists, stop now
            raise KeyboardInterrupt
        self.pressed = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            _set_handler(signal.SIGINT, self._previous)


def run_chunks(net, program, n_steps: int, dt: float, progress: bool | None,
               watch) -> None:
    """Advance ``net`` by ``n_steps`` steps of ``program`` (of the run's ``dt``: its
    ``_loop_dt()``), in chunks; between them: make room in the recording buffers, look
    for NaN in ``watch`` (runtime/finite.py, ``watched``), call the network operations
    due, show progress, stop at Ctrl-C or ``net.stop()``."""
    seed = net.seed & 0xFFFFFFFFFFFFFFFF  # (the step is part of every counter)
    end = net._step + n_steps
    timed = program.timed  # (the loop ends each call after CHUNK_SECONDS itself)
    # the first chunk: as the last run's speed says; else, with a budget, the rest of
    # the run (a monitor makes room for its worst case up to a bound), or 100 steps to
    # learn the speed
    first = n_steps if timed else 100
    chunk = min(n_steps, next_chunk(*net._last_chunk) if net._last_chunk else first)
    bar = None
    recorders = [obj for obj in net.objects if hasattr(obj, "_make_room_for_call")]
    net._budget_ns = round(CHUNK_SECONDS * 1e9) if timed else -1
    try:
        with StopAtStepBoundary() as ctrl_c:
            while net._step < end:
                expected = min(chunk, end - net._step)  # (the steps the call may do)
                asked = end - net._step if timed else expected
                for recorder in recorders:  # (room for what the call will record)
                    recorder._make_room_for_call(net._step, expected)
                paused = _set_pause(net, net._step + asked)
                tic = time.perf_counter()
                done = program.run(net._step, asked, dt, seed)
                elapsed = time.perf_counter() - tic
                net._step += done
                paused = paused and bool(net._paused[0])
                net._phase = net._pause_at if paused else 0
                if done < asked and not paused:
                    _make_room(net.objects)
                check_finite(watch, net._step - done, net._step, dt)
                if paused:  # (an error there leaves the run after this point)
                    net._pauses.call(net._step, net._phase)
                    if net._stop_requested:  # Brian2 finishes the step, then stops
                        end = min(end, net._step + 1)
                if ctrl_c.pressed:
                    raise KeyboardInterrupt(
                        f"run stopped at t = {net.t_:.6g} s (step "
                        f"{net._step}); the network is consistent: run() continues")
                net._last_chunk = (expected, done, elapsed)  # (the chunk it had)
                chunk = next_chunk(expected, done, elapsed)
                bar = update_progress(bar, progress, done, elapsed, net._step, end)
    finally:
        net._budget_ns = -1  # (a call of the program outside a run has none)
        if bar is not None:
            bar.close()


def _set_pause(net, end: int) -> bool:
    """Where the next call of the loop resumes (the current position) and pauses (the
    next network operation due before step ``end``); whether it will pause."""
    net._resume_at, net._paused[0] = net._phase, 0
    due = net._pauses.next(net._step, net._phase, end) if net._pauses else None
    net._pause_step, net._pause_at = due if due is not None else (-1, 0)
    return due is not None


def _make_room(objects) -> None:
    for obj in objects:
        if hasattr(obj, "_make_room"):
            obj._make_room()


def next_chunk(chunk: int, done: int, elapsed: float) -> int:
    """Aim for chunks of about CHUNK_SECONDS of wall time, from the speed of the last
    one (``done`` steps in ``elapsed`` seconds, of ``chunk`` asked).

    A chunk has at most 4 times the steps of the last one, so that steps which grow
    slower (a network's activity building up) keep chunks near the aim; or more, up to
    what the last one's speed does in a quarter of the aim, so that steps up to 4 times
    slower than measured still end within it. For a loop that keeps to a time budget
    (``Program.timed``) the chunk is only the steps a call is expected to do, for the
    recording buffers' room: the call itself is asked for the rest of the run and ends
    when its time is up. For any other loop each chunk is a call, with Python's work
    around it and the threads' wake-up."""
    if done <= 0 or elapsed <= 0:
        return chunk
    target = int(done * CHUNK_SECONDS / elapsed)
    return max(1, min(target, max(4 * chunk, target // 4), 10_000_000))


def update_progress(bar, progress: bool | None, done: int, elapsed: float, step: int,
                    end: int):
    """The progress bar after a chunk of ``done`` steps that took ``elapsed`` seconds,
    now at ``step`` of ``end``: created once the run looks long (or ``progress`` is
    true), never when ``progress`` is false."""
    remaining = end - step
    if bar is None and progress is not False and done:
        expected = elapsed / done * remaining
        if progress or expected > PROGRESS_AFTER:
            # a widget in Jupyter (with ipywidgets), else text: never a warning
            return progress_bar(total=end, initial=step, unit="step",
                                desc="eqsnn run", leave=False)
    if bar is not None:
        bar.update(done)
    return bar
