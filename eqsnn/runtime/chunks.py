"""What the run loop does in Python between two chunks of compiled steps.

A run is a series of calls into the compiled (or numpy) loop, each for a chunk of steps.
Between chunks, and only there, Python looks for NaN, updates the progress bar, sizes
the next chunk and lets Ctrl-C stop the run at a step boundary with every array
consistent (a later ``run()`` continues from there).
"""
from __future__ import annotations

import signal
import threading
import time

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
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.pressed:  # a second Ctrl-C: the user insists, stop now
            raise KeyboardInterrupt
        self.pressed = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def run_chunks(net, program, n_steps: int, dt: float, progress: bool | None,
               watch) -> None:
    """Advance ``net`` by ``n_steps`` steps of ``program`` (of the run's ``dt``: its
    ``_loop_dt()``), in chunks; between them: make room in the recording buffers, look
    for NaN in ``watch`` (runtime/finite.py, ``watched``), call the network operations
    due, show progress, stop at Ctrl-C or ``net.stop()``."""
    seed = net.seed & 0xFFFFFFFFFFFFFFFF  # (the step is part of every counter)
    end = net._step + n_steps
    # the first chunk: 100 steps to learn the speed, or as the last run's speed says
    chunk = min(n_steps, next_chunk(*net._last_chunk) if net._last_chunk else 100)
    bar = None
    recorders = [obj for obj in net.objects if hasattr(obj, "_make_room_for_call")]
    try:
        with StopAtStepBoundary() as ctrl_c:
            while net._step < end:
                asked = min(chunk, end - net._step)
                for recorder in recorders:  # (room for what the call will record)
                    recorder._make_room_for_call(net._step, asked)
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
                net._last_chunk = (asked, done, elapsed)
                chunk = next_chunk(asked, done, elapsed)
                bar = update_progress(bar, progress, done, elapsed, net._step, end)
    finally:
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
    slower than measured still end within it. Each chunk is a call of the loop, with
    Python's work around it and the threads' wake-up: a short run (Izhikevich 1000's
    1 s, 2000 steps of ~5 us) is one first call of 100 steps and one of the rest,
    instead of 100, 400 and 1500."""
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
