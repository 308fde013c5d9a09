"""The worker processes a batch builds its formats in.

A pool is forked from the parent, so workers start with what it has imported. For a batch of several
editions the pool is started before the parent loads them: each worker imports WeasyPrint and the PDF
libraries meanwhile (0.5 s), instead of the parent doing so only after loading and planning every
edition. A batch of one edition forks once it has imported them, as its loading is short."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .fontfiles import remove_folders_of

if TYPE_CHECKING:   # imported when a pool is made: an up-to-date build needs none
    from concurrent.futures import ProcessPoolExecutor


def pool_context():
    """fork where there is one: workers start with what the parent has loaded."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def new_pool(workers: int, early: bool = False) -> "ProcessPoolExecutor":
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(),
                               initializer=ready_early if early else ignore_interrupts)
    if early:   # a first submission starts every worker now, not when the first format is handed out
        pool.submit(int)
    return pool


def ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops them: one message instead of one per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ready_early() -> None:
    """A worker started before the parent imported the build: it imports it (and freezes what that
    loaded, as the parent does before forking: collector.py) while the parent loads the editions."""
    ignore_interrupts()
    from .collector import for_building, freeze_once, paused

    with paused():   # frozen before the collector is back, as in batch.run_tasks
        import zinepress.build  # noqa: F401
        freeze_once("imports")
    for_building()


@contextmanager
def early_pool(workers: int, editions: int) -> Iterator["ProcessPoolExecutor | None"]:
    """For several editions on several workers, a pool started now (else None); stopped at once if
    building stops (Ctrl-C, an error) or never needs it."""
    if workers <= 1 or editions <= 1:
        yield None
        return
    pool = new_pool(workers, early=True)
    try:
        yield pool
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown(wait=True)


def stop_now(pool: "ProcessPoolExecutor") -> None:
    """Kill the workers rather than wait for their tasks (or imports): they write nothing, the parent does.
    Killed, they cannot remove their copies of the fonts: that is done here once they have gone."""
    killed = list(getattr(pool, "_processes", {}).values())   # private, but no public way
    for process in killed:
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in killed:
        process.join(timeout=5)
    remove_folders_of(process.pid for process in killed if process.exitcode is not None)
