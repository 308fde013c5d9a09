"""Work a process must do as it ends (stop its Ghostscript, remove WeasyPrint's copies of the fonts), in
the command's own process and in a batch worker alike.

A pool worker ends with os._exit, which runs no atexit function: there multiprocessing's own exit hook
(a Finalize, which it runs before os._exit) does the work instead. Registered once per process, and run
only in the process that registered it (a forked child inherits its parent's atexit list)."""

import atexit
import multiprocessing
import multiprocessing.util
import os
from collections.abc import Callable

_registered: set[tuple[int, str]] = set()   # (process id, name)


def when_process_ends(name: str, function: Callable[[], None]) -> None:
    """Run `function` when this process ends, once however often it is asked for under `name`."""
    pid = os.getpid()
    if (pid, name) in _registered:
        return
    _registered.add((pid, name))

    def in_this_process() -> None:
        if os.getpid() == pid:
            function()

    if multiprocessing.parent_process() is not None:
        multiprocessing.util.Finalize(None, in_this_process, exitpriority=10)
    else:
        atexit.register(in_this_process)


def process_running(pid: str) -> bool:
    """Whether the process `pid` (a number, as text) is running: a folder named by it is still in use."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:   # another user's process
        return True
    return True
