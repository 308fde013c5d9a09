"""Batches: many editions and formats built in parallel worker processes, one edition's failure
stopping none of the others.

The parent loads and plans each edition (cheap, and it never imports WeasyPrint when everything is up
to date), hands each stale format to a worker, checks each format's files as they come back (while the
workers lay out the next), and writes an edition's files once all its formats are back and checked. Work
is split by format, so even one edition keeps every core busy."""

import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .edition import Edition, Selection, build_edition
from .errors import ZineError
from .incremental import Plan, plan_edition
from .output import finish_edition
from .progress import Progress
from .workers import early_pool, new_pool, stop_now

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from .output import FormatBuild

# Expected seconds of a format never built before (laying it out, writing and imposing it: the median of
# seven editions built cold with two workers): the slowest start first, so no core idles at the end.
FIRST_GUESS = {"booklet": 1.05, "onepager": 1.0, "poster": 0.75, "minizine": 0.55, "card": 0.35}
# Checking a format's files takes about a ninth of the time its worker took to make them. For one edition
# the parent checks them, taking the core that would idle at the build's end (five formats do not split
# evenly over the workers); beyond this many workers it would become the queue. A batch of several
# editions has tasks enough to keep its workers even, and there the parent's checking only competed for
# the cores (every region's mini zine, --jobs 2: 5.25 s with workers checking, 5.63 s with the parent).
PARENT_CHECKS_UP_TO = 4
Checked = Callable[["FormatBuild"], None]   # given a format whose files passed their checks


@dataclass(frozen=True)
class Job:
    """One edition to build, as the user selected it."""
    selection: Selection
    options: dict
    formats: tuple[str, ...]
    with_guide: bool = False
    force: bool = False
    strict: bool = False    # a warning found while building (a line left out, a guide left out) refuses it
    hints_from: tuple[Path, ...] = ()   # edition folders whose fitted sizes auto-fit may start from


@dataclass
class Outcome:
    label: str                      # e.g. US-en, or the selection when it could not be loaded
    edition: Edition | None = None
    result: object = None           # BuildResult once written
    error: ZineError | None = None
    built: list[str] = field(default_factory=list)
    seconds: float = 0.0


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load_job(job: Job) -> Edition:
    """The job's edition with its render options; `bleed: True` becomes the width for the region's paper."""
    edition = build_edition(job.selection)
    report_placement(edition, job.formats, job.options.get("tabs", True))
    options = {**edition.options, **job.options}
    if options.get("bleed") is True:
        from .printshop import BLEED
        options["bleed"] = BLEED[edition.paper]
    return replace(edition, options=options)


def report_placement(edition: Edition, formats: tuple[str, ...], tabs: bool) -> None:
    """Add to the edition's warnings and notes the lines each format leaves out for want of room; raise
    when a line that must be printed on a format does not fit it, so `check` says so before rendering."""
    from .formats import load_format
    from .placement import left_out_report, place, tab_lines

    for name in formats:
        capacity = load_format(name).lines
        warnings, notes = left_out_report(name, place(edition.lines, name, capacity), capacity.most)
        edition.warnings.extend(warnings)
        edition.notes.extend(notes)
    if "poster" in formats and tabs:
        tab_lines(edition.lines)


def run_batch(jobs: list[Job], out: Path, workers: int, progress: Progress,
              loaded: dict[int, Edition] | None = None, on_checked: "Checked | None" = None) -> list[Outcome]:
    """Build every job's stale formats; returns one outcome per job, in order. `loaded` holds editions
    the caller has already loaded, by job index; `on_checked` is given each format as soon as its files
    have passed their checks, before the edition is written (the gallery draws its thumbnails)."""
    outcomes, plans, editions = [], {}, {}
    forget_loaded()   # before any worker is forked
    with early_pool(workers, len(jobs)) as pool:
        for index, job in enumerate(jobs):
            outcome, edition, plan = prepare(job, out, (loaded or {}).get(index))
            outcomes.append(outcome)
            if plan is not None:
                editions[index], plans[index] = edition, plan
        tasks = sorted(((index, name) for index, plan in plans.items() for name in plan.stale),
                       key=lambda task: -expected_seconds(plans[task[0]], task[1]))
        if pool and not tasks:
            stop_now(pool)   # all up to date: no need to wait for the workers' imports
        progress.start(len(tasks))
        _loaded_here.update({job_key(jobs[index]): (os.getpid(), edition) for index, edition in editions.items()})
        try:
            results = run_tasks(jobs, plans, tasks, workers, progress, pool, on_checked)
        finally:
            _loaded_here.clear()
    for index, plan in plans.items():
        finish(outcomes[index], editions[index], plan, results.get(index, {}), jobs[index].strict)
    progress.close()
    return outcomes


def prepare(job: Job, out: Path, edition: Edition | None) -> tuple[Outcome, Edition | None, Plan | None]:
    """Load and plan one edition; a bad input fails this edition only."""
    label = f"{job.selection.region}-{job.selection.language or '?'}"
    try:
        edition = edition or load_job(job)
        plan = plan_edition(edition, list(job.formats), out, job.with_guide, job.force, job.hints_from)
    except ZineError as error:
        return Outcome(label, error=error), None, None
    return Outcome(edition.slug, edition=edition), edition, plan


def expected_seconds(plan: Plan, name: str) -> float:
    # A layout of its own, never built: as long as the longest, so it starts first rather than last.
    return plan.seconds.get(name) or FIRST_GUESS.get(name, max(FIRST_GUESS.values()))


def finish(outcome: Outcome, edition: Edition, plan: Plan, results: dict, strict: bool = False) -> None:
    """Write the edition if every format came back, else record the first error; nothing half-written.
    With `strict`, a warning about a built file is an error too."""
    errors = [value for value in results.values() if isinstance(value, ZineError)]
    warned = [file.warning for value in results.values() if not isinstance(value, ZineError)
              for file in value.files if file.warning] + plan.warnings
    if strict and warned and not errors:
        errors = [ZineError("--strict", f"{warned[0]}", "nothing was written; fix it, or build without --strict")]
    outcome.built = [name for name in plan.stale if name in results]
    outcome.seconds = sum(getattr(value, "seconds", 0) for value in results.values())
    if errors:
        outcome.error = errors[0]
        return
    try:
        outcome.result = finish_edition(edition, plan, [results[name] for name in plan.stale])
    except ZineError as error:
        outcome.error = error


def run_tasks(jobs: list[Job], plans: dict, tasks: list[tuple[int, str]], workers: int,
              progress: Progress, pool: "ProcessPoolExecutor | None" = None,
              on_checked: "Checked | None" = None) -> dict[int, dict]:
    """Each (job, format) task's FormatBuild, or its ZineError, by job and format: in `pool` when the
    batch started one early, else in this process or a pool forked once the build is imported."""
    results: dict[int, dict] = {}
    if not tasks:
        return results
    running = 1 if workers <= 1 else min(workers, len(tasks))   # the workers that will have tasks
    in_workers = running > PARENT_CHECKS_UP_TO or len({index for index, _ in tasks}) > 1
    if not in_workers:
        from .inkcov import start_early

        start_early()   # this process measures every print file's toner: its Ghostscript readies meanwhile
    arguments = [(jobs[index], name, plans[index].hints.get(name), in_workers) for index, name in tasks]
    if pool is not None:
        collect(pool, tasks, arguments, plans, workers, results, progress, on_checked)
        return results
    from .collector import for_building, freeze_once, paused

    with paused():   # and frozen before the collector is back: else its first full collection reads it all
        import zinepress.build  # noqa: F401  (imported once here, so forked workers start with it loaded)
        freeze_once("imports")
    for_building()
    if workers <= 1 or len(tasks) == 1:
        for (index, name), args in zip(tasks, arguments):
            progress.task_started(label_of(plans[index]), name)
            check_and_store(results, index, name, capture(*args), progress, label_of(plans[index]), on_checked)
        return results
    pool = new_pool(min(workers, len(tasks)))
    try:
        collect(pool, tasks, arguments, plans, workers, results, progress, on_checked)
    except BaseException:   # Ctrl-C or SIGTERM: stop the workers now rather than after their tasks
        stop_now(pool)
        raise
    pool.shutdown(wait=True)
    return results


def forget_loaded() -> None:
    """A layouter holds its edition as loaded: one kept from an earlier batch in this process (the web
    page's, which builds in the server) would print the lines as they were then; and its fonts and
    sheets, so an edited stylesheet is read again (only if loaded: an up-to-date build imports none)."""
    _layouter_cache.clear()
    styles = sys.modules.get("zinepress.styles")
    if styles is not None:
        styles.forget_styles()


def collect(pool, tasks: list, arguments: list, plans: dict, workers: int, results: dict,
            progress: Progress, on_checked: "Checked | None" = None) -> None:
    """Submit every task, and check and store each result as soon as it comes back."""
    from concurrent.futures import as_completed

    futures = {pool.submit(capture, *args): task for task, args in zip(tasks, arguments)}
    for index, name in tasks[:workers]:
        progress.task_started(label_of(plans[index]), name)
    for done, future in enumerate(as_completed(futures)):
        if done + workers < len(tasks):   # the pool takes tasks in order: a worker starts the next one
            waiting = tasks[done + workers]
            progress.task_started(label_of(plans[waiting[0]]), waiting[1])
        index, name = futures[future]
        check_and_store(results, index, name, future.result(), progress, label_of(plans[index]), on_checked,
                        beside=True)


def label_of(plan: Plan) -> str:
    return plan.folder.name


def check_and_store(results: dict, index: int, name: str, value: "FormatBuild | ZineError", progress: Progress,
                    label: str, on_checked: "Checked | None" = None, beside: bool = False) -> None:
    """A format's result, its files checked here if its worker did not (checking.py: `beside` in the
    parent of a pool), or its error."""
    if not isinstance(value, ZineError) and value.checks is None:
        value = checked_or_error(value, beside)
    if on_checked and not isinstance(value, ZineError) and all(check.ok for check in value.checks):
        on_checked(value)
    results.setdefault(index, {})[name] = value
    error = value.line() if isinstance(value, ZineError) else None
    progress.task_done(label, name, getattr(value, "seconds", None), error)


def checked_or_error(built: "FormatBuild", beside: bool = False) -> "FormatBuild | ZineError":
    """The format's FormatBuild with its files measured and checked, or the error a bug raised doing so."""
    from .checking import checked

    try:
        return checked(built, beside)
    except Exception as error:   # a bug: reported for this edition, the others go on
        return internal_error(built.format, error)


# In a worker, the editions it has built in this batch, by job: their formats share its checked text. A
# batch hands out the slowest formats first, so a worker moves to another edition at almost every task;
# loading it again each time cost a batch of every region and format a second of work.
_layouter_cache: dict = {}
# The editions the parent has loaded, by job, while it runs its tasks: a worker it forks meanwhile starts
# from its copy (0.016 s each, at the start of every worker). Not in the parent itself (its own object,
# written at the end) nor in a worker forked before they were loaded (an early pool), which load their own.
_loaded_here: dict = {}


def job_key(job: Job) -> tuple:
    return job.selection, tuple(sorted(job.options.items()))


def inherited_edition(key: tuple) -> Edition | None:
    parent, edition = _loaded_here.get(key, (os.getpid(), None))
    return edition if parent != os.getpid() else None


def capture(job: Job, name: str, hint: dict | None, check: bool = False) -> "FormatBuild | ZineError":
    """One format of one edition (run in a worker): its FormatBuild, checked here with `check`, or the
    ZineError that stopped it."""
    from .build import make_format
    from .collector import freeze_once
    from .formats import load_format
    from .layout import Layouter

    try:
        key = job_key(job)
        if key not in _layouter_cache:
            _layouter_cache[key] = Layouter(inherited_edition(key) or load_job(job))
            freeze_once("edition")
        for other, layouter in _layouter_cache.items():
            if other != key:   # decoded pictures: only the edition at work keeps them (fonts: styles.Styles)
                layouter.images.clear()
        built = make_format(_layouter_cache[key], load_format(name), job.with_guide, hint)
    except ZineError as error:
        return error
    except Exception as error:   # a bug: reported for this edition, the others go on
        return internal_error(name, error)
    return checked_or_error(built) if check else built


def internal_error(name: str, error: Exception) -> ZineError:
    trace = " | ".join(traceback.format_exc().strip().splitlines()[-3:])
    return ZineError(f"{name} format", f"internal error {error!r}", f"please report it with: {trace}")
