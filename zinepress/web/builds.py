"""Builds started from the browser: each in its own folder `<out>/web/<build-id>/`, run one after another
on a single background thread with the same functions the command line uses (batch.load_job and
batch.run_batch), then drawn as page images for the preview.

One thread does every build and every page drawing: WeasyPrint's per-process caches and PDFium are not
meant to be used from two threads at once, and on a small machine one build at a time is also the
fastest way through a queue. The page stays responsive: requests are answered by other threads."""

import datetime as dt
import re
import secrets
import shutil
import threading
import traceback
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import gallery
from ..batch import Job, load_job, run_batch
from ..errors import UsageError, ZineError
from ..progress import Progress

BUILD_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
PAGE_BOX = (300, 420)      # pixels: a page image's largest width and height
KEPT = 20                  # builds whose page images stay in memory (a few MB each at most)


@dataclass
class Build:
    id: str
    folder: Path               # <out>/web/<id>
    job: Job
    state: str = "queued"      # queued, running, done, failed
    step: str = "waiting for the build before it to finish"
    done: int = 0
    total: int = 0
    message: str | None = None                   # the command line's one line, when it failed
    notes: list[str] = field(default_factory=list)         # as the command line prints them: note: ...
    warnings: list[str] = field(default_factory=list)      # and warning: ...
    edition: str | None = None                   # the edition folder's key under the output folder
    pages: dict[str, list] = field(default_factory=dict)    # format -> [PageImage]

    def status(self) -> dict:
        return {"id": self.id, "state": self.state, "step": self.step, "done": self.done, "total": self.total,
                "message": self.message}


class WebProgress(Progress):
    """Progress told to a build, which the page asks for: which format is being made."""

    def __init__(self, build: Build) -> None:
        super().__init__("quiet")
        self.build = build

    def start(self, total: int) -> None:
        super().start(total)
        self.build.total = total

    def task_started(self, edition: str, fmt: str) -> None:
        super().task_started(edition, fmt)
        self.build.step = f"making the {fmt}"

    def task_done(self, edition: str, fmt: str, seconds: float | None, error: str | None) -> None:
        super().task_done(edition, fmt, seconds, error)
        self.build.done = self.done


class Builder:
    """The queue of browser builds and what became of each."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zinepress-build")
        self.builds: OrderedDict[str, Build] = OrderedDict()
        self.lock = threading.Lock()
        # The last edition folder built for each choice of edition (on the build thread only): the next
        # build of it, with other lines, starts auto-fit from the sizes that fitted there.
        self.fitted: dict[tuple, Path] = {}

    def new_folder(self) -> tuple[str, Path]:
        """A fresh, empty folder for one build: two tabs never share one."""
        while True:
            build_id = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            folder = self.out / gallery.WEB / build_id
            try:
                folder.mkdir(parents=True)
                return build_id, folder
            except FileExistsError:
                continue

    def submit(self, build: Build) -> None:
        with self.lock:
            self.builds[build.id] = build
            while len(self.builds) > KEPT:
                self.builds.popitem(last=False)
        self.worker.submit(self.run, build)

    def get(self, build_id: str) -> Build | None:
        if not BUILD_ID.fullmatch(build_id):
            return None
        with self.lock:
            return self.builds.get(build_id)

    def on_worker(self, function, *args) -> Future:
        """Run `function` on the build thread (anything that uses PDFium), after the builds queued before."""
        return self.worker.submit(function, *args)

    def run(self, build: Build) -> None:
        build.state, build.step = "running", "checking the lines and the content"
        try:
            self.make(build)
        except ZineError as error:
            message = f"error: {error.line()}"
        except UsageError as error:
            message = f"usage error: {error}"
        except Exception as error:   # noqa: BLE001 (a bug: said on the page, the server goes on)
            trace = " | ".join(traceback.format_exc().strip().splitlines()[-3:])
            message = f"error: internal error {error!r}; please report it with: {trace}"
        else:
            build.state, build.step = "done", "done"
            return
        # It wrote no edition: no folder is left behind, and it is gone before the page hears of the failure.
        shutil.rmtree(build.folder, ignore_errors=True)
        fail(build, message)

    def make(self, build: Build) -> None:
        """Load, build and check exactly as `make_zine.py build --jobs 1` does, then draw the pages."""
        edition = load_job(build.job)
        build.notes = [*edition.notes, *getattr(edition, "unreviewed", ())]
        build.warnings = list(edition.warnings)
        key = fit_key(build.job)
        job = replace(build.job, hints_from=(self.fitted[key],) if key in self.fitted else ())
        outcome = run_batch([job], build.folder, 1, WebProgress(build), {0: edition})[0]
        if outcome.error:
            raise outcome.error
        result = outcome.result
        self.fitted[key] = result.folder
        build.warnings += [file.warning for file in result.files if file.warning]
        build.edition = result.folder.relative_to(self.out).as_posix()
        build.step = "drawing the pages"
        build.pages = draw_pages(result.folder, build.job.formats)
        try:
            gallery.write_index(self.out)
        except OSError as error:
            build.warnings.append(f"{self.out / gallery.INDEX}: not updated ({error.strerror or error})")


def fit_key(job: Job) -> tuple:
    """What decides the body sizes, bar the lines: builds that differ only in their own lines share it."""
    chosen = job.selection
    return chosen.content, chosen.region, chosen.language, chosen.paper, job.options.get("poster_size")


def fail(build: Build, message: str) -> None:
    build.state, build.step, build.message = "failed", "failed", message


def draw_pages(folder: Path, formats: tuple[str, ...]) -> dict[str, list]:
    """Each format's pages in reading order: its `-pages.pdf` where it has one, else its print file."""
    from ..pageimages import page_images

    drawn = {}
    for name in formats:
        reading = folder / f"{name}-pages.pdf"
        path = reading if reading.is_file() else folder / f"{name}.pdf"
        drawn[name] = page_images(path.read_bytes(), PAGE_BOX)
    return drawn
