"""Python's garbage collector, kept from re-reading what a build loads once.

A full collection visits every object alive. After WeasyPrint and the PDF libraries are imported that is
hundreds of thousands of objects that will never be garbage, and layout makes objects fast enough to
set off full collections again and again: in a cold edition build they cost about an eighth of the
time. `gc.freeze()` moves the objects alive at that moment out of the collector's sight (reference
counting still frees them), as Python's documentation advises before forking workers. Each stage is
frozen once per process, so a long-lived process (the web page's server) never hides more than the
garbage of that one moment from the collector; at exit all is thawed, so that a process which tears
its interpreter down (the web page's server, a test run; not the command, which skips that: cli.command)
finalizes objects in reference cycles while the modules they need are still there. Nothing that must
happen depends on it: the fonts' copies are removed explicitly (fontfiles.py)."""

import atexit
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

_frozen: set[tuple[int, str]] = set()   # (process id, stage)
# Objects made and not yet freed before the collector looks at the young ones (Python's default: 700).
# Layout makes them by the hundred thousand, most freed by reference counting within the pass: looked at
# every 700 they were collected hundreds of times a format, a twentieth of a worker's time. Every region's
# mini zine on two workers: 0.3 s of collecting became 0.12 s, for 6 MiB more at a worker's peak.
BUILDING_THRESHOLD = 30_000


def freeze_once(stage: str) -> None:
    """Freeze what is alive now, unless this process already did at this stage: "imports" (before
    forking workers), "edition" (a worker's first edition loaded: hyphenation patterns, fonts' maps)."""
    key = (os.getpid(), stage)
    if key not in _frozen:
        if not _frozen:
            atexit.register(gc.unfreeze)
        _frozen.add(key)
        gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while objects that will not be garbage are made in a burst (importing the
    build's libraries, unpickling): each full collection they set off visits every object made so far.
    Importing WeasyPrint and the PDF libraries set off 200 collections, 0.04 s of the 0.45 s; the thousand
    objects of the imports' own garbage that they would have freed are frozen with the rest (freeze_once)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def for_building() -> None:
    """Collect the young objects less often, in this process and the workers it forks (see above), from
    then on: the web page's server, which builds in its own process, keeps it between builds too."""
    young, *older = gc.get_threshold()
    if 0 < young < BUILDING_THRESHOLD:   # 0: the collector switched off on purpose; leave it so
        gc.set_threshold(BUILDING_THRESHOLD, *older)
