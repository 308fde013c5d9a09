#!/usr/bin/env python3
"""Build-speed measures for the default edition, as ratios against a plain WeasyPrint render.

Measures: a cold whole-edition build (every format, fresh output folder), a rebuild with nothing
changed, a rebuild after changing one crisis line, layout passes per auto-fit format, every region
with --jobs 2 against --jobs 1, and the peak memory of one build process. The machine is noisy, so the
baseline (a cold `python -m weasyprint` render of the zine text as plain HTML) and each build alternate,
every build runs as a fresh subprocess in a temporary copy of the project, and medians are reported.

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
CHECKED = re.compile(r"^(\s*checked:\s*)([\"']?)(\d{4}-\d{2}-\d{2})\2", re.M)
STYLE = "@page { size: Letter; margin: 0.75in } body { font: 10pt/1.35 sans-serif }"
# Runs the build given as its arguments, then prints the largest peak RSS (KiB) of its descendants.
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

    def fresh(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="out-", dir=self.work))


def copy_project(dest: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)


def baseline_html(dest: Path) -> Path:
    """The zine text as one plain HTML page: no front matter, no `:::` fenced-div markers."""
    text = (ROOT / ZINE).read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("\n---", 1)[1].split("\n", 1)[1]
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(":::"))
    body = MarkdownIt().render(text)
    page = dest / "baseline.html"
    page.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><style>{STYLE}</style>'
                    f"</head><body>{body}</body></html>", encoding="utf-8")
    return page


def run(command: list[str], cwd: Path) -> float:
    """Seconds the command took as a cold subprocess; Unsupported if it failed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        if done.returncode == 2 or "--region ALL" in last:
            raise Unsupported("flag not supported")
        raise Unsupported(f"exit {done.returncode}: {last[:60]}")
    return seconds


def build(bench: Bench, out: Path, *args: str) -> float:
    return run([sys.executable, "make_zine.py", "build", *args, "--out", str(out)], bench.project)


def edition(bench: Bench, out: Path, *extra: str) -> float:
    return build(bench, out, "--region", "US", "--format", "all", *extra)


def layout_passes(out: Path) -> dict[str, int] | None:
    """layout_passes per format from the build's manifest, or None while the manifest lacks them."""
    try:
        formats = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["build"]["formats"]
        return {name: int(entry["layout_passes"]) for name, entry in formats.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def autofit_formats(project: Path) -> list[str]:
    return sorted(p.parent.name for p in (project / "layouts").glob("*/format.yaml")
                  if re.search(r"^autofit:", p.read_text(encoding="utf-8"), re.M))


def toggle_checked(project: Path, original: str) -> None:
    """Move the first line's `checked:` date between its original value and the day before."""
    path = project / CRISIS_FILE
    text = path.read_text(encoding="utf-8")
    current = CHECKED.search(text)[3]
    day_before = (datetime.date.fromisoformat(original) - datetime.timedelta(days=1)).isoformat()
    new = day_before if current == original else original
    path.write_text(CHECKED.sub(lambda m: f"{m[1]}{m[2]}{new}{m[2]}", text, count=1), encoding="utf-8")


def paired(bench: Bench, measured: Callable[[], float]) -> tuple[float, float]:
    """Median seconds of the measured command and median of its ratios to the baseline run just before."""
    times, ratios = [], []
    for _ in range(bench.runs):
        base = run(bench.baseline, bench.work)
        times.append(measured())
        ratios.append(times[-1] / base)
    return statistics.median(times), statistics.median(ratios)


def ratio_row(measure: str, limit: float, bench: Bench, measured: Callable[[], float]) -> Row:
    try:
        seconds, ratio = paired(bench, measured)
    except Unsupported as error:
        return Row(measure, "-", f"n/a ({error})", f"<= {limit}x")
    return Row(measure, f"{seconds:.2f} s", f"{ratio:.2f}x", f"<= {limit}x", ratio <= limit)


def cold_build(bench: Bench) -> float:
    out = bench.fresh()
    seconds = edition(bench, out)
    bench.passes["cold"].append(layout_passes(out) or {})
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def one_line_build(bench: Bench, out: Path, original: str) -> float:
    toggle_checked(bench.project, original)
    seconds = edition(bench, out)
    bench.passes["one line"].append(layout_passes(out) or {})
    return seconds


def speed_rows(bench: Bench) -> list[Row]:
    out = bench.fresh()
    rows = [ratio_row("whole edition, every format, cold", 3.0, bench, lambda: cold_build(bench))]
    try:
        edition(bench, out)  # the folder the no-op and one-line rebuilds reuse
    except Unsupported as error:
        return rows + [Row("rebuild (setup build)", "-", f"n/a ({error})", "-")]
    rows.append(ratio_row("rebuild, nothing changed", 0.25, bench, lambda: edition(bench, out)))
    original = CHECKED.search((bench.project / CRISIS_FILE).read_text(encoding="utf-8"))[3]
    rows.append(ratio_row("rebuild, one crisis line changed", 3.0, bench,
                          lambda: one_line_build(bench, out, original)))
    toggle_checked(bench.project, original) if CHECKED.search(
        (bench.project / CRISIS_FILE).read_text(encoding="utf-8"))[3] != original else None
    return rows


def median_passes(bench: Bench, phase: str, fmt: str) -> float | None:
    found = [runs[fmt] for runs in bench.passes[phase] if fmt in runs]
    return statistics.median(found) if found else None


def passes_rows(bench: Bench, formats: list[str]) -> list[Row]:
    rows = []
    for phase in ("cold", "one line"):
        values = [median_passes(bench, phase, fmt) for fmt in formats]
        measure = f"layout passes per auto-fit format, {phase}"
        if None in values or not values:
            rows.append(Row(measure, "-", "n/a", "<= 3 (mean)"))
            continue
        mean = statistics.mean(values)
        rows.append(Row(measure, "-", f"{mean:.2f} (mean)", "<= 3 (mean)", mean <= 3))
    return rows


def jobs_row(bench: Bench, runs: int) -> Row:
    measure, goal = "every region, minizine, --jobs 2 vs --jobs 1", ">= 1.7x faster"
    one, two = [], []
    try:
        for _ in range(runs):
            for jobs, times in (("1", one), ("2", two)):
                times.append(build(bench, bench.fresh(), "--region", "all", "--format", "minizine", "--jobs", jobs))
    except Unsupported as error:
        return Row(measure, "-", f"n/a ({error})", goal)
    ratio = statistics.median(one) / statistics.median(two)
    times = f"{statistics.median(one):.1f} s / {statistics.median(two):.1f} s"
    return Row(measure, times, f"{ratio:.2f}x faster", goal, ratio >= 1.7)


def memory_row(bench: Bench) -> Row:
    """Peak RSS of the largest single process of a cold --jobs 2 edition build, via a wrapper child."""
    measure, goal = "peak memory of one worker (cold, --jobs 2)", "<= 250 MiB"
    command = [sys.executable, "make_zine.py", "build", "--region", "US", "--format", "all",
               "--jobs", "2", "--out", str(bench.fresh())]
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], cwd=bench.project,
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = "flag not supported" if done.returncode == 2 else f"exit {done.returncode}"
        return Row(measure, "-", f"n/a ({reason})", goal)
    mib = int(done.stdout.split()[-1]) / 1024
    return Row(measure, "-", f"{mib:.0f} MiB", goal, mib <= 250)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def report(bench: Bench, rows: list[Row], formats: list[str], base: float) -> None:
    ok = {True: "yes", False: "NO", None: "n/a"}
    print(table(["measure", "median time", "ratio", "must reach", "ok?"],
                [[r.measure, r.time, r.value, r.goal, ok[r.ok]] for r in rows]))
    print(f"\nbaseline (plain WeasyPrint render, cold process): median {base:.2f} s")
    show = lambda v: "n/a" if v is None else f"{v:g}"  # noqa: E731
    print("\nlayout passes per auto-fit format (median over runs):\n")
    print(table(["format", "cold", "one line changed"],
                [[f, show(median_passes(bench, "cold", f)), show(median_passes(bench, "one line", f))]
                 for f in formats]))


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
        (work / "project").mkdir()
        copy_project(work / "project")
        baseline = [sys.executable, "-m", "weasyprint", str(baseline_html(work)), str(work / "baseline.pdf")]
        bench = Bench(work / "project", work, runs, baseline)
        run(baseline, work)  # warm the disk cache and font cache; not timed
        edition(bench, bench.fresh())  # compile bytecode in the copy; not timed
        base = statistics.median(run(baseline, work) for _ in range(runs))
        formats = autofit_formats(bench.project)
        rows = speed_rows(bench) + passes_rows(bench, formats)
        if not args.skip_batch:
            rows.append(jobs_row(bench, max(1, runs // 2)))
        rows.append(memory_row(bench))
        report(bench, rows, formats, base)


if __name__ == "__main__":
    main()
