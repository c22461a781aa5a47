"""Checking many files: in this process, or in worker processes, with identical results.

Workers take the files in chunks, each with one Checker: where workers are forked they inherit
the main process's, its rule packs already loaded and compiled; otherwise each builds its own
once; results come back in the order of the targets, so the
report is byte for byte the same whatever the number of workers. Workers ignore Ctrl-C: the
main process stops them and keeps what was checked. A worker that dies (killed, out of
memory) ends the run with an error rather than a hang.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from types import FrameType

from cosmecheck.checker import Checker, Progress
from cosmecheck.discovery import Target
from cosmecheck.errors import CosmecheckError
from cosmecheck.model import CheckOptions, FileResult

# Below this many files, starting workers costs more than it saves, or saves too little to
# show through the noise of a busy machine: bench/run.py measured them even at about 64 files
# on 2 cores, 8 % ahead at 96 and some 10 % from 128 (COSMECHECK_WORKERS_FROM moves it there).
IN_PROCESS_BELOW = 128

_worker: Checker | None = None


def _start_worker(options: CheckOptions, inherited: Checker | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = inherited or Checker(options, keep_facts=False)


def _check_chunk(targets: Sequence[Target]) -> list[FileResult]:
    assert _worker is not None, "worker not started"
    return [_worker.check_target(target) for target in targets]


def run(
    checker: Checker,
    targets: Sequence[Target],
    jobs: int,
    take: Callable[[FileResult], None],
    progress: Progress | None = None,
) -> bool:
    """Pass the result of every target to ``take``, in order; whether Ctrl-C cut the run short."""
    on_progress = progress or (lambda done: None)
    threshold = int(os.environ.get("COSMECHECK_WORKERS_FROM") or IN_PROCESS_BELOW)
    parallel = jobs > 1 and len(targets) >= threshold
    if not parallel or any(t.path is None for t in targets):
        return _in_process(checker, targets, take, on_progress)
    return _in_workers(checker, targets, jobs, take, on_progress)


def _in_process(
    checker: Checker,
    targets: Sequence[Target],
    take: Callable[[FileResult], None],
    progress: Progress,
) -> bool:
    with _noting_ctrl_c() as pressed:
        try:
            for target in targets:
                take(checker.check_target(target))
                progress(1)
                if pressed():
                    return True
        except KeyboardInterrupt:
            return True
    return False


@contextlib.contextmanager
def _noting_ctrl_c() -> Iterator[Callable[[], bool]]:
    """Yield a function that tells whether Ctrl-C was pressed since; it still interrupts.

    A compiled extension can lose the KeyboardInterrupt raised while it runs: jsonschema-rs
    0.61 sometimes returns a verdict instead, and the batch would go on to its end. The note
    taken here stops it after the file at hand. Only where Python's own handler is in place,
    in the main thread: a program that embeds cosmecheck with a handler of its own keeps it.
    """
    noted = False

    def note(signum: int, frame: FrameType | None) -> None:
        nonlocal noted
        noted = True
        raise KeyboardInterrupt

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield lambda: False
        return
    signal.signal(signal.SIGINT, note)
    try:
        yield lambda: noted
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _in_workers(
    checker: Checker,
    targets: Sequence[Target],
    jobs: int,
    take: Callable[[FileResult], None],
    progress: Progress,
) -> bool:
    # Here, not at the top: a run of one file or a small batch never needs them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(32, len(targets) // (jobs * 8)))
    chunks = [list(targets[i : i + size]) for i in range(0, len(targets), size)]
    inherited = None
    if multiprocessing.get_start_method() == "fork":  # workers share this process's memory
        checker.load_packs()
        inherited = Checker(checker.options, keep_facts=False, catalogue=checker.catalogue)
    # An executor rather than multiprocessing.Pool: the pool's worker-watching thread polls
    # in a loop while a result waits to be read, taking a core's share from the workers.
    executor = ProcessPoolExecutor(
        jobs, initializer=_start_worker, initargs=(checker.options, inherited)
    )
    try:
        for chunk in executor.map(_check_chunk, chunks):
            for result in chunk:
                take(result)
            progress(len(chunk))
    except KeyboardInterrupt:
        # Workers ignore Ctrl-C; the chunks not started are dropped, the few under way end.
        executor.shutdown(wait=True, cancel_futures=True)
        return True
    except BrokenProcessPool:
        executor.shutdown(wait=True, cancel_futures=True)
        raise CosmecheckError(
            "a worker process stopped unexpectedly (out of memory?); "
            "run again with --jobs 1 to check the files in one process"
        ) from None
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)  # no worker outlives a failed run
        raise
    executor.shutdown()
    return False
