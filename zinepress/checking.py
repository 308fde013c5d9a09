"""A format's files measured and checked where they arrive: its print files' toner use, and preflight of
every file.

A batch's workers lay out, write and impose (build.make_format) and hand the files back. For one
edition the parent measures and checks them (`checked`) while the workers go on to their next layouts:
the core a worker would have spent on this is then free for layout, the core that would idle at the
end of the build takes it, and one Ghostscript serves them all. A batch of several editions, or of more
workers than one parent keeps up with, has each worker check its own (batch.PARENT_CHECKS_UP_TO).
Imports no WeasyPrint: a batch's parent may not have it."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from .inkcov import ink_coverage
from .output import GUIDE_KIND, FormatBuild, OutputFile, measure
from .preflight import Check, check_pdf


def checked(built: FormatBuild, beside: bool = False) -> FormatBuild:
    """`built` with its print files' toner use and every file's preflight checks. A guide that fails
    preflight is left out (it never blocks the format it explains).

    With `beside`, Ghostscript measures the toner in its own process while this one preflights: for the
    parent of a pool of workers, whose last format's checks nothing else overlaps (two cores for them).
    Not in a worker, whose other core is another worker's, nor with --jobs 1, which is one core's work."""
    prints = [file for file in built.files if file.kind == "print"]
    if beside:
        with ThreadPoolExecutor(max_workers=1) as toner:
            inks = toner.submit(toner_use, prints)
            files, checks = preflighted(built)
            measured = inks.result()
    else:
        measured = toner_use(prints)
        files, checks = preflighted(built)
    ink_of = {file.name: ink for file, ink in zip(prints, measured)}
    files = [with_ink(file, *ink_of[file.name]) if file.name in ink_of else file for file in files]
    files, checks = without_failed_guides(files, checks)
    return replace(built, files=files, checks=checks)


def toner_use(prints: list[OutputFile]) -> list[tuple[dict | None, str | None]]:
    return [ink_coverage(file.data) for file in prints]


def preflighted(built: FormatBuild) -> tuple[list[OutputFile], list[Check]]:
    """The format's files, each with what its PDF measures (read once: for the checks and the manifest),
    and their preflight checks."""
    files = [replace(file, measured=measure(file.data)) for file in built.files]
    return files, [check for file in files for check in check_pdf(file.name, file.data, file.describe(), built.flags)]


def with_ink(file: OutputFile, ink: dict | None, problem: str | None) -> OutputFile:
    """The print file with its toner use, or with why it could not be measured added to its warning."""
    problems = [file.warning] if file.warning else []
    problems += [f"{file.format}.pdf: toner use not measured: {problem}"] if problem else []
    return replace(file, ink=ink, warning="; ".join(problems) or None)


def without_failed_guides(files: list[OutputFile], checks: list[Check]) -> tuple[list[OutputFile], list[Check]]:
    """A guide that fails preflight is left out (its checks with it), and the print file says why."""
    failed = {check.file for check in checks if not check.ok
              and any(file.name == check.file and file.kind == GUIDE_KIND for file in files)}
    if not failed:
        return files, checks
    reasons = "; ".join(f"{c.name}: {c.detail}" for c in checks if c.file in failed and not c.ok)
    kept = [file for file in files if file.name not in failed]
    warning = "; ".join(f"{name} left out: preflight failed ({reasons}); the print files were built"
                        for name in sorted(failed))
    kept[0] = replace(kept[0], warning="; ".join(filter(None, (kept[0].warning, warning))))
    return kept, [check for check in checks if check.file not in failed]
