"""Where WeasyPrint keeps its copies of the bundled fonts (2.7 MB): one folder a process, named by its id.

WeasyPrint copies the @font-face fonts into a temporary folder and removes it only when its font
configuration is finalized, which a batch worker, ending with os._exit, never reaches: every build left a
folder per worker. A process removes its own as it ends (styles.py); the folders of processes killed
before they could (a build stopped with Ctrl-C kills its workers) are removed by whoever stopped them,
and else by the next process that loads the fonts. Imports no WeasyPrint: a batch's parent may not have it."""

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .ending import process_running

PREFIX = "zinepress-fonts-"   # then the process id, a dash and mkdtemp's letters


def new_folder() -> Path:
    """A new folder for this process's copies, after removing those of processes no longer running."""
    temporary = Path(tempfile.gettempdir())
    for left in temporary.glob(f"{PREFIX}*"):
        if not process_running(left.name[len(PREFIX):].split("-")[0]):
            shutil.rmtree(left, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))


def remove_folders_of(pids: Iterable[int]) -> None:
    """Remove the copies kept by these processes, which have ended (killed workers)."""
    temporary = Path(tempfile.gettempdir())
    for pid in pids:
        for left in temporary.glob(f"{PREFIX}{pid}-*"):
            shutil.rmtree(left, ignore_errors=True)
