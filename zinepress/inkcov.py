"""Toner use: Ghostscript's inkcov device measures the ink coverage of each page.

One Ghostscript is kept running per process and fed file after file through its interactive prompt: it
starts once (0.1 s) instead of for every file, and each file after the first costs about 0.025 s. It
ends with the process (its input closes), and a new one is started after any failure."""

import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from itertools import count
from pathlib import Path

from .paths import private_folder

TIMEOUT = 20   # seconds: the largest booklet takes about two; a hung Ghostscript must not hold the build
DONE = "%%zinepress-inkcov-done"   # printed after each file, so the reader knows its pages are all out


class GhostscriptFailed(Exception):
    pass


def ink_coverage(pdf: bytes) -> tuple[dict | None, str | None]:
    """(mean coverage per page in percent of the page area for C, M, Y, K and their total, problem).

    Without Ghostscript both are None; when it fails or hangs, the coverage is None and the problem
    says why: toner use is then left out of the manifest with a warning, and the build goes on."""
    gs = shutil.which("gs")
    if gs is None:
        return None, None
    with _lock:   # one file at a time through this process's Ghostscript, whichever thread asks
        try:
            output = running(gs).measure(pdf, TIMEOUT) if os.name == "posix" else once(gs, pdf)
        except subprocess.TimeoutExpired:
            stop()
            return None, f"Ghostscript took over {TIMEOUT} s"
        except (GhostscriptFailed, OSError) as error:
            stop()
            return None, f"Ghostscript failed ({error})"
    return coverage_of(output)


def once(gs: str, pdf: bytes) -> str:
    """Without POSIX pipes to wait on: one Ghostscript for this file alone."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(pdf)
        try:
            return subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", "-", "-sDEVICE=inkcov",
                                   str(path)], capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout
        except subprocess.CalledProcessError as error:
            raise GhostscriptFailed(f"exit status {error.returncode}") from None


def coverage_of(output: str) -> tuple[dict | None, str | None]:
    """Means over the pages inkcov printed, one line each: 'C M Y K CMYK OK' as fractions of the page."""
    pages = [[float(value) for value in line.split()[:4]] for line in output.splitlines()
             if line.strip().endswith("OK")]
    if not pages:
        return None, "Ghostscript measured no page"
    means = [100 * sum(page[i] for page in pages) / len(pages) for i in range(4)]
    coverage = dict(zip("CMYK", (round(mean, 3) for mean in means)))
    coverage["total"] = round(sum(means), 3)
    return coverage, None


class Ghostscript:
    """A Ghostscript reading PostScript commands on its standard input, allowed to read one folder:
    this user's own, where each PDF is written to be measured and removed once it has been."""

    def __init__(self, gs: str, folder: Path) -> None:
        self.gs, self.folder, self.names = gs, folder, count()
        self.process = subprocess.Popen(
            [gs, "-q", "-dSAFER", "-dNOPAUSE", "-dNOPROMPT", f"--permit-file-read={folder}{os.sep}",
             "-sDEVICE=inkcov", "-sOutputFile=%stdout"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.pid = os.getpid()

    def measure(self, pdf: bytes, timeout: float) -> str:
        """What inkcov printed for this PDF (its pages' lines, and any error)."""
        path = self.folder / f"{os.getpid()}-{id(self)}-{next(self.names)}.pdf"
        path.write_bytes(pdf)
        try:
            # `stopped` keeps an error in one file from ending the session; the marker ends each file.
            self.process.stdin.write(f"({ps_string(path)}) {{run}} stopped pop ({DONE}\\n) print flush\n".encode())
            self.process.stdin.flush()
            return self.read_until_done(time.monotonic() + timeout)
        finally:
            path.unlink(missing_ok=True)

    def read_until_done(self, deadline: float) -> str:
        output = b""
        while DONE.encode() not in output:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            if not ready:
                raise subprocess.TimeoutExpired("gs", TIMEOUT)
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                last = output.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
                raise GhostscriptFailed(f"exit status {self.process.wait()}: {last[0].strip()}")
            output += chunk
        return output.decode(errors="replace").split(DONE)[0]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_session: Ghostscript | None = None
_lock = threading.Lock()


def _forget_in_child() -> None:
    """A forked worker closes its copy of the parent's pipes (the parent's Ghostscript is the parent's)."""
    global _session, _lock
    _lock = threading.Lock()   # another thread of the parent may have held it when it forked
    if _session is not None:
        _session.process.stdin.close()
        _session.process.stdout.close()
    _session = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def running(gs: str) -> Ghostscript:
    """This process's Ghostscript, started on first use (a forked worker starts its own, and another
    `gs` on the PATH a new one)."""
    global _session
    alive = _session is not None and _session.pid == os.getpid() and _session.process.poll() is None
    if not (alive and _session.gs == gs):
        stop()
        _session = Ghostscript(gs, private_folder("inkcov"))
    return _session


def stop() -> None:
    """End this process's Ghostscript (after a failure or a hang: the next file starts a new one)."""
    global _session
    if _session is not None and _session.pid == os.getpid():
        _session.close()
    _session = None


def ps_string(path: Path) -> str:
    """The path as the inside of a PostScript string (backslash and parentheses escaped)."""
    return str(path).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
