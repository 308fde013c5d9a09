"""What each command does: build, check, list, preflight, verify and serve (cli.py parses the line).

Kept apart from the parser so that `build` can answer "up to date" from its stamp (stamp.py) before any
of this, and the libraries it loads, is imported."""

import argparse
import datetime as dt
import sys
from pathlib import Path

from .batch import Job, cores, load_job, run_batch
from .contacts import load_region, region_codes
from .content import available_languages
from .crisisline import CrisisLine
from .edition import Edition, Selection
from .errors import UsageError, ZineError
from .formats import format_names, load_format
from .gallery import draw_thumbnails
from . import stamp
from .incremental import MANIFEST, read_manifest
from .paths import CONTENT_DIR, DATA_FOLDERS, FONTS_DIR, LAYOUTS_DIR
from .progress import Progress
from .selecting import editions, parse_shard, shard
from .strings import languages
from .summary import print_outcomes, up_to_date_text

def selected_formats(value: str) -> list[str]:
    names = format_names() if value == "all" else [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise UsageError("--format: name at least one format, or all")
    return [load_format(name).name for name in names]


def selected_editions(args: argparse.Namespace) -> list[Selection]:
    base = Selection(content=args.content, paper=args.paper, contacts=args.contacts,
                     require_reviewed=args.require_reviewed)
    return shard(editions(base, args.region, args.lang), *parse_shard(args.shard))


def report(edition: Edition, strict: bool, prefix: str = "") -> list[str]:
    """Print an edition's notes and warnings, and return them; with --strict, a warning refuses the
    edition."""
    said = [f"note: {prefix}{note}" for note in (*edition.notes, *edition.unreviewed)]
    said += [f"warning: {prefix}{warning}" for warning in edition.warnings]
    for line in said:
        print(line, file=sys.stderr)
    if strict and edition.warnings:
        raise ZineError("--strict", f"{len(edition.warnings)} warning(s) above", "fix them, or build without --strict")
    return said


def check_out(given: Path) -> None:
    out = given.resolve()
    if any(out.is_relative_to(folder.resolve()) for folder in (CONTENT_DIR, LAYOUTS_DIR, FONTS_DIR)):
        # PDFs there would become inputs of the next build's fingerprint, and mix with the sources
        raise UsageError(f"--out {given}: inside the project's content, layouts or fonts; "
                         "choose a folder outside them, e.g. out/")


def build_jobs(args: argparse.Namespace) -> list[Job]:
    if not 0 <= args.creep <= 10:
        raise UsageError("--creep: give the push-out in millimetres, from 0 to 10")
    check_out(args.out)
    options = {"tabs": not args.no_tabs, "grayscale": args.grayscale, "creep": args.creep,
               "bleed": args.bleed or args.pdfx, "pdfx": args.pdfx, "poster_size": poster_size(args.poster_size)}
    formats = tuple(selected_formats(args.format))
    return [Job(selection, options, formats, args.with_guide, args.force, args.strict)
            for selection in selected_editions(args)]


def poster_size(asked: str | None) -> str | None:
    """--poster-size, checked against the sizes layouts/poster/format.yaml offers."""
    if asked is None:
        return None
    sizes = load_format("poster").sizes or {}
    if asked.lower() not in sizes:
        raise UsageError(f"--poster-size {asked}: choose from {', '.join(sizes) or 'none (the poster has no sizes)'}")
    return asked.lower()


def run_build(args: argparse.Namespace) -> None:
    key = stamp.command_key(args)        # the day the build began
    inputs = stamp.given_inputs(args)    # before anything is read: an edit made during the build counts
    stamp.forget(args.out, key)
    jobs = build_jobs(args)
    if not jobs:
        print("nothing to build: this shard is empty")
        return
    single, loaded, notes, complete = len(jobs) == 1, {}, [], True
    if single:   # one edition: its input errors end the run as one line, before anything is built
        loaded[0] = load_job(jobs[0])
        notes = report(loaded[0], args.strict)
    elif args.strict:
        count = len(jobs)
        jobs = [job for job in jobs if strict_ok(job)]
        complete = len(jobs) == count   # what it said of those left out is not kept
    outcomes = run_batch(jobs, args.out, args.jobs or cores(), Progress.for_terminal(args.quiet), loaded,
                         on_checked=lambda built: draw_thumbnails(args.out, built.files))
    refresh_gallery(args.out)
    if single and outcomes[0].error:
        raise outcomes[0].error
    print_outcomes(outcomes, single, args.quiet)
    failed = sum(1 for outcome in outcomes if outcome.error)
    if failed:
        raise ZineError("build", f"{failed} of {len(outcomes)} editions failed", "see the table above")
    if complete:
        said = up_to_date_text(outcomes, single, args.quiet, notes, jobs[0].formats)
        remember(args.out, key, inputs, outcomes, said)


def remember(out: Path, key: str, inputs: stamp.Inputs, outcomes: list, said: tuple[str, str]) -> None:
    """Stamp a build that succeeded with what it read and wrote, and what running it again would say;
    not when it read a file that the digests taken before it began do not cover."""
    index = out / "index.html"
    read = [path for outcome in outcomes for path in outcome.edition.inputs]
    if not index.is_file() or not all(stamp.holds(inputs, path) for path in read):
        return
    outputs = [path for outcome in outcomes for path in written_files(outcome.result.folder)]
    stamp.write(out, key, inputs, outputs, [index], said)


def written_files(folder: Path) -> list[Path]:
    """An edition folder's manifest and the files it lists."""
    listed = read_manifest(folder / MANIFEST).get("files") or []
    return [folder / MANIFEST, *(folder / entry["file"] for entry in listed if isinstance(entry, dict))]


def refresh_gallery(out: Path) -> None:
    """The output folder's index.html: every edition, with thumbnails (a problem there fails no build)."""
    from .gallery import write_index

    try:
        write_index(out)
    except (OSError, ValueError) as error:
        print(f"warning: {out / 'index.html'}: gallery not written ({error})", file=sys.stderr)


def run_serve(args: argparse.Namespace) -> None:
    if not 0 <= args.port <= 65535:
        raise UsageError("--port: give a port number from 0 to 65535 (0 picks a free one)")
    check_out(args.out)
    from .web.server import serve   # Flask: loaded only for this command

    serve(args.host, args.port, args.out)


def strict_ok(job: Job) -> bool:
    """In a batch, an edition with warnings under --strict is reported and left out."""
    try:
        report(load_job(job), True, prefix=f"{job.selection.region}: ")
    except ZineError as error:
        print(f"error: {job.selection.region}: {error.line()}", file=sys.stderr)
        return False
    return True


def run_preflight(args: argparse.Namespace) -> None:
    """Check built PDFs: the edition folders given, or every one under out/."""
    folders = [Path(p) for p in args.paths] or sorted(m.parent for m in Path("out").glob("*/*/manifest.json"))
    folders = [f.parent if f.suffix == ".pdf" or f.name == "manifest.json" else f for f in folders]
    if not folders:
        raise ZineError("preflight", "no built editions found", "build first, or name an edition folder")
    from .preflight import preflight, table   # reads PDFs: imported only for this command

    checks = preflight(folders)
    print(table(checks))
    failed = sum(not check.ok for check in checks)
    if failed:
        raise ZineError("preflight", f"{failed} of {len(checks)} checks failed", "see the table above")


def run_check(args: argparse.Namespace) -> None:
    from .coverage import check_coverage   # reads the fonts: not needed to decide a build is up to date

    formats = selected_formats(args.format)
    for selection in selected_editions(args):
        edition = load_job(Job(selection, {}, tuple(formats)))
        report(edition, args.strict)
        check_coverage(edition)
        print(f"ok: {edition.content.slug} ({edition.language}), region {edition.region.code}, "
              f"{len(edition.lines)} crisis lines, {edition.paper}, formats {', '.join(formats)}")


def run_verify(args: argparse.Namespace) -> None:
    """Fetch the selected lines' pages and report what they show; never edits the data."""
    from .verify_report import as_json, failed, selected_lines, table, verify_lines

    if not 0 < args.timeout <= 120:
        raise UsageError("--timeout: give the seconds to wait for each page, more than 0 and at most 120")
    today = dt.date.today()
    reports = verify_lines(selected_lines(args.region), args.timeout, today)
    print(as_json(reports, today) if args.json else table(reports, today))
    if reports and not any(page.page.status for report in reports for page in report.pages):
        raise ZineError("verify", "no page answered at all", "check this computer's internet connection; "
                        "if it works, every line above needs re-checking")
    if failed(reports):
        raise ZineError("verify", f"{failed(reports)} of {len(reports)} lines failed (a number on none of its "
                        "pages, or a source gone)", "re-check them before printing (see FAIL above)")




def run_list(args: argparse.Namespace) -> None:
    for what in [args.what] if args.what else LISTERS:
        LISTERS[what]()


def list_contents() -> None:
    print("contents:")
    for folder in sorted(p for p in CONTENT_DIR.iterdir() if p.is_dir() and p.name not in DATA_FOLDERS):
        print(f"  {folder.name}  ({', '.join(available_languages(folder))})")


def list_regions() -> None:
    print("regions:")
    for code in region_codes():
        region = load_region(code, [])
        oldest = min(line.checked for line in region.lines)
        print(f"  {code:6} {region.name}: {len(region.lines)} lines, {region.paper}, oldest check {oldest}")
        for line in region.lines:
            print(f"           - {line_listing(line)}")


def line_listing(line: CrisisLine) -> str:
    """A line for `list regions`: name, kind, numbers, confidence (a low one with its reason), date."""
    from .verify_report import keywords_of

    ways = [f"call {line.call.display}"] if line.call else []
    if line.text:
        words = "/".join(keywords_of(line))
        ways.append(f"text {words} to {line.text.display}" if words else f"text {line.text.display}")
    ways += ["chat"] if line.chat else []
    sure = f"confidence LOW: {line.confidence_note}" if line.confidence == "low" else "confidence ok"
    kind = f" [{line.kind}]" if line.kind else ""
    return f"{line.name}{kind} | {', '.join(ways)} | {sure} | checked {line.checked}"


def list_languages() -> None:
    print(f"languages: {', '.join(languages())}")


def list_formats() -> None:
    print("formats:")
    for name in format_names():
        print(f"  {name:9} {load_format(name).description}")


LISTERS = {"contents": list_contents, "regions": list_regions, "languages": list_languages,
           "formats": list_formats}
COMMANDS = {"build": run_build, "check": run_check, "list": run_list, "preflight": run_preflight,
            "verify": run_verify, "serve": run_serve}
