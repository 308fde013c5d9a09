"""What a build says when it ends: the files of one edition, or a table of a batch's editions."""

import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace
from io import StringIO

from .batch import Outcome
from .paths import display


def print_outcomes(outcomes: list[Outcome], single: bool, quiet: bool) -> None:
    for outcome in outcomes:
        for file in outcome.result.files if outcome.result else []:
            if file.warning:
                print(f"warning: {'' if single else outcome.label + ': '}{file.warning}", file=sys.stderr)
        # A single edition's notes were printed before it was built (cli.report); a batch names here
        # each edition's unreviewed translations, built or up to date.
        for note in outcome.edition.unreviewed if outcome.edition and not single else ():
            print(f"note: {outcome.label}: {note}", file=sys.stderr)
    if single:
        print_edition(outcomes[0], quiet)
    else:
        print(table(outcomes))


def print_edition(outcome: Outcome, quiet: bool) -> None:
    result = outcome.result
    if not result.files:
        print(f"up to date: {display(result.folder)} ({', '.join(result.up_to_date)}); --force rebuilds")
        return
    if not quiet:
        for file in result.files:
            print(f"wrote {display(result.folder / file.name)}")
        print(f"wrote {display(result.manifest)}")
    print(f"preflight: {len(result.checks)} checks passed")
    if result.up_to_date:
        print(f"up to date, not rebuilt: {', '.join(result.up_to_date)}")


def table(outcomes: list[Outcome]) -> str:
    """One row per edition: what was built, what was already current, the time, and the result."""
    rows = [("edition", "built", "up to date", "seconds", "result")]
    for outcome in outcomes:
        result = outcome.result
        current = ", ".join(result.up_to_date) if result else ""
        status = f"FAILED: {outcome.error.line()}" if outcome.error else "ok"
        rows.append((outcome.label, ", ".join(outcome.built) or "-", current or "-",
                     f"{outcome.seconds:.1f}", status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4] for row in rows]
    failed = sum(1 for outcome in outcomes if outcome.error)
    lines.append(f"{len(outcomes)} editions: {len(outcomes) - failed} ok, {failed} failed")
    return "\n".join(lines)


def up_to_date_text(outcomes: list[Outcome], single: bool, quiet: bool, notes: list[str],
                    formats: tuple[str, ...]) -> tuple[str, str]:
    """(stdout, stderr) of the same build run again with nothing changed: `notes` are what was said of a
    single edition before it was built, then every format is up to date (in the order asked)."""
    current = [replace(outcome, built=[], seconds=0.0,
                       result=replace(outcome.result, files=[], manifest=None, passes=0, checks=[],
                                      up_to_date=[name for name in formats
                                                  if name in {*outcome.result.up_to_date, *outcome.built}]))
               for outcome in outcomes]
    stdout, stderr = StringIO(), StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        for line in notes:
            print(line, file=sys.stderr)
        print_outcomes(current, single, quiet)
    return stdout.getvalue(), stderr.getvalue()
