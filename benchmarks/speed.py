#!/usr/bin/env python3
"""Build-speed measures for the default edition, as ratios against a plain WeasyPrint render.

Measures a cold whole-edition build (every format, fresh output folder), a rebuild with nothing changed,
a rebuild after one crisis line changed, layout passes per auto-fit format, every region with --jobs 2
against --jobs 1, and the peak memory of one build process. The machine is noisy, so each build runs as a
cold subprocess in a temporary copy of the project, alternating with the baseline (a cold
`python -m weasyprint` render of the zine text as plain HTML), and medians are reported.

Run from the project root: python benchmarks/speed.py [--runs 3] [--quick] [--skip-batch]"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("make_zine.py", "zinepress", "content", "layouts", "fonts")
ZINE = Path("content/unpacking-self-harm/en.md")
CRISIS_FILE = Path("content/crisis-lines/US.yaml")
MANIFEST = Path("unpacking-self-harm/US-en/manifest.json")
EDITION = ("--region", "US", "--format", "all")
CHECKED = re.compile(r"^(\s*checked:\s*)([\"']?)(\d{4}-\d{2}-\d{2})\2", re.M)
STYLE = "@page { size: Letter; margin: 0.75in } body { font: 10pt/1.35 sans-serif }"
# Runs the command given as its arguments, then prints the largest peak RSS (KiB) among its processes.
WRAPPER = """import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.buffer.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)"""


class Unsupported(Exception):
    """A build this measure needs failed, usually because a flag does not exist yet."""


@dataclass
class Row:
    measure: str
    time: str
    value: str
    goal: str
    ok: bool | None = None


@dataclass
class Bench:
    project: Path
    work: Path
    runs: int
    baseline: list[str]
    passes: dict[str, list[dict[str, int]]] = field(default_factory=lambda: {"cold": [], "one line": []})
    base_times: list[float] = field(default_factory=list)

    def fresh(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="out-", dir=self.work))


def copy_project(dest: Path) -> None:
    dest.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)


def baseline_html(dest: Path) -> Path:
    """The zine text as one plain HTML page: no front matter, no `:::` fenced-div markers."""
    text = (ROOT / ZINE).read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("\n---", 1)[1].split("\n", 1)[1]
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(":::"))
    page = dest / "baseline.html"
    page.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><style>{STYLE}</style>'
                    f"</head><body>{MarkdownIt().render(text)}</body></html>", encoding="utf-8")
    return page


# As on a user's machine, Python may keep the copy's compiled bytecode (the warm-up build writes it): a
# PYTHONDONTWRITEBYTECODE inherited from a sandbox would recompile zinepress in every timed process.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], cwd: Path) -> float:
    """Seconds the command took as a cold subprocess; Unsupported if it failed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENVIRONMENT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise Unsupported(failure(done))
    return seconds


def failure(done: subprocess.CompletedProcess) -> str:
    """Why a build failed: exit 2 is a usage error (an unknown flag); `--region all` is not a region yet."""
    last = (done.stderr.strip().splitlines() or ["no message"])[-1]
    if done.returncode == 2 or "--region ALL" in last:
        return "flag not supported"
    return f"exit {done.returncode}: {last[:60]}"


def zine(out: Path, *args: str) -> list[str]:
    return [sys.executable, "make_zine.py", "build", *args, "--out", str(out)]


def build(bench: Bench, out: Path, *args: str) -> float:
    return run(zine(out, *args), bench.project)


def recorded(bench: Bench, phase: str, out: Path) -> float:
    """Build the edition into out, keeping the layout passes its manifest reports."""
    seconds = build(bench, out, *EDITION)
    bench.passes[phase].append(layout_passes(out))
    return seconds


def layout_passes(out: Path) -> dict[str, int]:
    """layout_passes per format from the build's manifest; empty while the manifest lacks them."""
    try:
        formats = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["build"]["formats"]
        return {name: int(entry["layout_passes"]) for name, entry in formats.items()
                if "layout_passes" in entry}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def autofit_formats(project: Path) -> list[str]:
    return sorted(p.parent.name for p in (project / "layouts").glob("*/format.yaml")
                  if re.search(r"^autofit:", p.read_text(encoding="utf-8"), re.M))


def toggle_checked(project: Path, original: str) -> None:
    """Move the first line's `checked:` date between its original value and the day before."""
    path = project / CRISIS_FILE
    text = path.read_text(encoding="utf-8")
    day_before = (datetime.date.fromisoformat(original) - datetime.timedelta(days=1)).isoformat()
    new = day_before if CHECKED.search(text)[3] == original else original
    path.write_text(CHECKED.sub(lambda m: f"{m[1]}{m[2]}{new}{m[2]}", text, count=1), encoding="utf-8")


def ratio_row(measure: str, limit: float, bench: Bench, measured: Callable[[], float]) -> Row:
    """Alternate the baseline and the measured build; median time, and median ratio of each pair."""
    times, ratios = [], []
    try:
        for _ in range(bench.runs):
            bench.base_times.append(run(bench.baseline, bench.work))
            times.append(measured())
            ratios.append(times[-1] / bench.base_times[-1])
    except Unsupported as error:
        return Row(measure, "-", f"n/a ({error})", f"<= {limit}x")
    ratio = statistics.median(ratios)
    return Row(measure, f"{statistics.median(times):.2f} s", f"{ratio:.2f}x", f"<= {limit}x", ratio <= limit)


def speed_rows(bench: Bench) -> list[Row]:
    out = bench.fresh()
    try:  # untimed: warms the caches, compiles the copy's bytecode, fills the folder rebuilds reuse
        build(bench, out, *EDITION)
    except Unsupported as error:
        return [Row("whole edition build", "-", f"n/a ({error})", "-")]
    original = CHECKED.search((bench.project / CRISIS_FILE).read_text(encoding="utf-8"))[3]

    def one_line() -> float:
        toggle_checked(bench.project, original)
        return recorded(bench, "one line", out)

    return [ratio_row("whole edition, every format, cold", 3.0, bench,
                      lambda: recorded(bench, "cold", bench.fresh())),
            ratio_row("rebuild, nothing changed", 0.25, bench, lambda: build(bench, out, *EDITION)),
            ratio_row("rebuild, one crisis line changed", 3.0, bench, one_line)]


def median_passes(bench: Bench, phase: str, fmt: str) -> float | None:
    found = [passes[fmt] for passes in bench.passes[phase] if fmt in passes]
    return statistics.median(found) if found else None


def passes_rows(bench: Bench, formats: list[str]) -> list[Row]:
    rows = []
    for phase in ("cold", "one line"):
        values = [median_passes(bench, phase, fmt) for fmt in formats]
        row = Row(f"layout passes per auto-fit format, {phase}", "-", "n/a", "<= 3 (mean)")
        if values and None not in values:
            mean = statistics.mean(values)
            row.value, row.ok = f"{mean:.2f} (mean)", mean <= 3
        rows.append(row)
    return rows


def jobs_row(bench: Bench, runs: int) -> Row:
    measure, goal = "every region, minizine, --jobs 2 vs --jobs 1", ">= 1.7x faster"
    times: dict[str, list[float]] = {"1": [], "2": []}
    try:
        for _ in range(runs):
            for jobs in times:
                times[jobs].append(build(bench, bench.fresh(), "--region", "all", "--format", "minizine",
                                         "--jobs", jobs))
    except Unsupported as error:
        return Row(measure, "-", f"n/a ({error})", goal)
    one, two = statistics.median(times["1"]), statistics.median(times["2"])
    return Row(measure, f"{one:.1f} s / {two:.1f} s", f"{one / two:.2f}x faster", goal, one / two >= 1.7)


def memory_row(bench: Bench) -> Row:
    """Peak RSS of the largest single process of a cold --jobs 2 edition build, measured in a wrapper."""
    measure, goal = "peak memory of one worker (cold, --jobs 2)", "<= 250 MiB"
    command = zine(bench.fresh(), *EDITION, "--jobs", "2")
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=bench.project,
                          capture_output=True, text=True)
    if done.returncode != 0:
        return Row(measure, "-", f"n/a ({failure(done)})", goal)
    mib = int(done.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux
    return Row(measure, "-", f"{mib:.0f} MiB", goal, mib <= 250)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    return "\n".join([line(header), line(["-" * width for width in widths]), *map(line, rows)])


def report(bench: Bench, rows: list[Row], formats: list[str]) -> None:
    ok = {True: "yes", False: "NO", None: "n/a"}
    print(table(["measure", "median time", "ratio", "must reach", "ok?"],
                [[r.measure, r.time, r.value, r.goal, ok[r.ok]] for r in rows]))
    if bench.base_times:
        base = statistics.median(bench.base_times)
        print(f"\nbaseline: plain WeasyPrint render, cold process, median {base:.2f} s over "
              f"{len(bench.base_times)} runs, each just before the build it is compared with")
    print("\nlayout passes per auto-fit format (median over runs):\n")
    cells = [[fmt, *(shown(median_passes(bench, phase, fmt)) for phase in ("cold", "one line"))]
             for fmt in formats]
    print(table(["format", "cold", "one line changed"], cells))


def shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (default 3)")
    parser.add_argument("--quick", action="store_true", help="one run of each measure")
    parser.add_argument("--skip-batch", action="store_true", help="skip the slow every-region --jobs measure")
    args = parser.parse_args()
    runs = 1 if args.quick else max(1, args.runs)
    print(f"{datetime.date.today()}: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, {runs} run(s)\n")
    with tempfile.TemporaryDirectory(prefix="zinepress-speed-") as temp:
        work = Path(temp)
        copy_project(work / "project")
        baseline = [sys.executable, "-m", "weasyprint", str(baseline_html(work)), str(work / "baseline.pdf")]
        bench = Bench(work / "project", work, runs, baseline)
        run(baseline, work)  # untimed warm-up
        formats = autofit_formats(bench.project)
        rows = speed_rows(bench) + passes_rows(bench, formats)
        if not args.skip_batch:
            rows.append(jobs_row(bench, min(runs, 2)))  # slow: fewer runs
        rows.append(memory_row(bench))
        report(bench, rows, formats)


if __name__ == "__main__":
    main()
