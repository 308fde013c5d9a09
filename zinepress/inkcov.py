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
from pathlib import Path

from .ending import process_running, when_process_ends
from .paths import private_folder

TIMEOUT = 20   # seconds: the largest booklet takes about two; a hung Ghostscript must not hold the build
DONE = "%%zinepress-inkcov-done"   # and a number: printed after each file, so its answer is known complete
FILES_PER_SESSION = 200


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


def start_early() -> None:
    """Start this process's Ghostscript now, when the caller knows files are coming and a core is idle
    (it readies itself in 0.05 s). Nothing without Ghostscript or POSIX pipes; a failure waits for a file."""
    gs = shutil.which("gs")
    if gs is None or os.name != "posix":
        return
    with _lock:
        try:
            running(gs)
        except OSError:
            stop()


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

    def __init__(self, gs: str) -> None:
        self.gs, self.pid, self.measured = gs, os.getpid(), 0
        self.folder, self.own_folder = input_folder()
        # Unbuffered: a command is written whole or not at all, and a forked child has no copy to flush.
        self.process = subprocess.Popen(
            [gs, "-q", "-dSAFER", "-dNOPAUSE", "-dNOPROMPT", f"--permit-file-read={self.folder}{os.sep}",
             "-sDEVICE=inkcov", "-sOutputFile=%stdout"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)

    def measure(self, pdf: bytes, timeout: float) -> str:
        """What inkcov printed for this PDF (its pages' lines, and any error)."""
        self.measured += 1
        marker = f"{DONE}-{self.measured}"
        path = self.folder / f"{self.pid}-{self.measured}.pdf"   # the process id: see sweep()
        path.write_bytes(pdf)
        try:
            # The path as a hexadecimal string, whatever its characters; `stopped` keeps an error in one
            # file from ending the session; the numbered marker ends this file's answer.
            command = f"<{bytes(path).hex()}> {{run}} stopped pop ({marker}\\n) print flush\n".encode()
            if self.process.stdin.write(command) != len(command):
                raise GhostscriptFailed("its input took only part of a command")
            return answer(self.read_until(marker, time.monotonic() + timeout), marker)
        finally:
            path.unlink(missing_ok=True)

    def read_until(self, marker: str, deadline: float) -> str:
        output = b""
        while marker.encode() + b"\n" not in output:
            ready, _, _ = select.select([self.process.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise subprocess.TimeoutExpired("gs", TIMEOUT)
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                last = output.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
                raise GhostscriptFailed(f"exit status {self.process.wait()}: {last[0].strip()}")
            output += chunk
        return output.decode(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def answer(output: str, marker: str) -> str:
    """The output for the file ended by `marker`: anything before an earlier file's marker is that
    file's, left over if its answer was not read to the end."""
    before = output.split(marker + "\n")[0]
    return before.rsplit(DONE, 1)[1].split("\n", 1)[-1] if DONE in before else before


def input_folder() -> tuple[Path, bool]:
    """(folder, whether it is this session's alone): this user's own kept folder, swept of files that
    processes no longer running left there (a worker stopped mid-file); if another user holds its name,
    a new temporary folder, removed when the session ends."""
    try:
        folder = private_folder("inkcov")
    except OSError:
        return Path(tempfile.mkdtemp(prefix="zinepress-inkcov-")), True
    for left in folder.glob("*-*.pdf"):
        if not process_running(left.name.split("-")[0]):
            left.unlink(missing_ok=True)
    return folder, False


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
    """This process's Ghostscript, started on first use: again in a forked worker, for another `gs` on
    the PATH, and after FILES_PER_SESSION files (its memory grows by about 4 MB per hundred files)."""
    global _session
    alive = _session is not None and _session.pid == os.getpid() and _session.process.poll() is None
    if not (alive and _session.gs == gs and _session.measured < FILES_PER_SESSION):
        stop()
        _session = Ghostscript(gs)
        when_process_ends("ghostscript", stop)   # none is left orphaned, a batch worker's included
    return _session


def stop() -> None:
    """End this process's Ghostscript (after a failure or a hang: the next file starts a new one)."""
    global _session
    if _session is not None and _session.pid == os.getpid():
        _session.close()
    _session = None
