"""Batches: several regions and languages in one command, split into shards for several machines, built
in worker processes; one failing edition stops none of the others, and the summary says which failed."""

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from conftest import CONTENT, ROOT, break_checking, copy_project, run_cli, run_project
from zinepress.batch import Job
from zinepress.edition import Selection
from zinepress.errors import UsageError
from zinepress.selecting import editions, parse_shard, shard

CRISIS_LINES = ROOT / "content" / "crisis-lines"
ZINE = "unpacking-self-harm"
PROGRESS = re.compile(r"^\[\d+/\d+\] ", re.M)


# --- what the data files say, read without zinepress ----------------------------------------------------

def region_codes() -> list[str]:
    return sorted(path.stem for path in CRISIS_LINES.glob("*.yaml"))


def region_languages(code: str) -> list[str]:
    """A region's languages as its YAML lists them, or those of the region it extends."""
    data = yaml.safe_load((CRISIS_LINES / f"{code}.yaml").read_text(encoding="utf-8"))
    if data.get("languages"):
        return list(data["languages"])
    return region_languages(data["extends"]) if data.get("extends") else ["en"]


def content_languages() -> set[str]:
    return {path.stem for path in CONTENT.glob("*.md")}


def table_rows(stdout: str) -> dict[str, list[str]]:
    """The summary table's rows by edition label: edition, built, up to date, seconds, result."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["edition", "built"])
    rows = {}
    for line in lines[header + 1:]:
        if re.match(r"^\d+ editions:", line):
            break
        cells = re.split(r"\s{2,}", line.strip(), maxsplit=4)
        rows[cells[0]] = cells
    return rows


def built_editions(out: Path) -> set[str]:
    return {path.parent.name for path in out.glob(f"{ZINE}/*/manifest.json")}


# --- selecting and sharding (no building) -----------------------------------------------------------------

def test_lang_all_gives_each_region_the_languages_it_lists_that_the_content_has():
    have = content_languages()
    expected = []
    for code in region_codes():
        spoken = [lang for lang in region_languages(code) if lang in have]
        expected += [(code, lang) for lang in spoken] or [(code, None)]
    found = [(selection.region, selection.language) for selection in editions(Selection(), "all", "all")]
    assert found == expected
    # as read in content/crisis-lines: the US speaks en and es, Mexico es, and the content has both
    assert {("US", "en"), ("US", "es"), ("MX", "es")} <= set(found)
    assert ("MX", "en") not in found


def test_region_all_without_lang_is_every_region_once():
    found = [(selection.region, selection.language) for selection in editions(Selection(), "all", None)]
    assert found == [(code, None) for code in region_codes()]


def test_region_lists_are_read_in_order_without_repeats():
    found = [selection.region for selection in editions(Selection(), "US, GB,US", None)]
    assert found == ["US", "GB"]


def test_region_names_differing_only_in_case_are_one_region():
    found = [selection.region for selection in editions(Selection(), "us, GB,US", None)]
    assert found == ["US", "GB"]


@pytest.mark.parametrize("parts", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("lang", ["all", None])
def test_shards_are_disjoint_and_together_complete(parts, lang):
    items = editions(Selection(), "all", lang)
    pieces = [shard(items, part, parts) for part in range(1, parts + 1)]
    together = [item for piece in pieces for item in piece]
    assert sorted(together, key=repr) == sorted(items, key=repr)      # complete, and nothing twice
    assert len(set(together)) == len(together) == len(items)
    sizes = [len(piece) for piece in pieces]
    assert max(sizes) - min(sizes) <= 1, sizes
    for piece in pieces:                                                  # each keeps the stable order
        assert piece == sorted(piece, key=items.index)


def test_more_shards_than_editions_leaves_some_empty_but_covers_all():
    items = editions(Selection(), "US,GB", None)
    pieces = [shard(items, part, 5) for part in range(1, 6)]
    assert [item for piece in pieces for item in piece] == items
    assert sum(1 for piece in pieces if not piece) == 3


@pytest.mark.parametrize("value, expected", [(None, (1, 1)), ("1/1", (1, 1)), ("2/5", (2, 5)), ("3/3", (3, 3))])
def test_parse_shard_reads_k_of_n(value, expected):
    assert parse_shard(value) == expected


@pytest.mark.parametrize("value", ["0/3", "4/3", "x", "1/0", "-1/3", "2/", "/2", "1/2/3", "", "two/three"])
def test_parse_shard_refuses_nonsense(value):
    with pytest.raises(UsageError):
        parse_shard(value)


@pytest.mark.parametrize("value", ["0/2", "3/2", "x"])
def test_cli_refuses_a_bad_shard_in_one_line_with_status_2(value, tmp_path):
    result = run_cli("build", "--shard", value, "--format", "card", "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--shard" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_refuses_no_workers(tmp_path):
    result = run_cli("build", "--jobs", "0", "--format", "card", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "--jobs" in result.stderr, result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


def test_an_empty_shard_builds_nothing_and_succeeds(tmp_path):
    """More machines than editions: the spare ones have nothing to do, and that is not an error."""
    result = run_cli("build", "--region", "US", "--shard", "2/2", "--format", "card", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nothing to build" in result.stdout
    assert not list(tmp_path.glob("out/**/*.pdf"))


# --- batches on the command line ------------------------------------------------------------------------

def test_an_unknown_region_fails_alone(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--region", "US,GB,XX", "--format", "card", "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    for edition in ("US-en", "GB-en"):
        for name in ("card.pdf", "card-pages.pdf"):
            assert (out / ZINE / edition / name).stat().st_size > 0, (edition, name)
    assert built_editions(out) == {"US-en", "GB-en"}
    rows = table_rows(result.stdout)
    assert rows["US-en"][-1] == "ok" and rows["GB-en"][-1] == "ok", rows
    failed = [cells for label, cells in rows.items() if label.startswith("XX")]
    assert len(failed) == 1 and failed[0][-1].startswith("FAILED") and "XX" in failed[0][-1], rows
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def overflowing(tmp_path_factory) -> Path:
    """A project copy with one more region, GB-ZZ, whose lines, all marked for the card (so none may be
    left out to make room), have hours far too long for it: it loads fine and fails while its card is
    laid out, in a worker."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    hours = " ".join(["Open some days but not others, see the website for the times."] * 6)   # < 400
    (project / "content" / "crisis-lines" / "GB-ZZ.yaml").write_text(
        "region: GB-ZZ\nname: Overflowing test region\nlanguages: [en]\npaper: a4\nemergency: \"999\"\n"
        "lines:\n" + "".join(f"  - name: Line {n} whose hours do not fit a card\n    chat: https://example.org/c{n}\n"
                              f"    hours: \"{hours}\"\n    show_on: [card]\n    source: https://example.org/hours\n"
                              "    checked: 2026-11-01\n" for n in range(1, 5)),
        encoding="utf-8")
    return project


def test_an_edition_failing_in_a_worker_fails_alone(overflowing, tmp_path):
    out = tmp_path / "out"
    result = run_project(overflowing, "build", "--region", "US,GB-ZZ,GB", "--format", "card", "--jobs", "2",
                         "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert built_editions(out) == {"US-en", "GB-en"}
    assert not (out / ZINE / "GB-ZZ-en").exists() or not any((out / ZINE / "GB-ZZ-en").iterdir())
    rows = table_rows(result.stdout)
    assert rows["US-en"][-1] == "ok" and rows["GB-en"][-1] == "ok", rows
    assert rows["GB-ZZ-en"][-1].startswith("FAILED"), rows
    assert "Traceback" not in result.stderr and "internal error" not in result.stdout


def test_region_all_with_a_shard_builds_exactly_one_edition(tmp_path):
    codes = region_codes()
    out = tmp_path / "out"
    result = run_cli("build", "--region", "all", "--format", "card", "--shard", f"2/{len(codes)}", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    manifests = list(out.glob(f"{ZINE}/*/manifest.json"))
    assert len(manifests) == 1, manifests
    assert json.loads(manifests[0].read_text(encoding="utf-8"))["region"] == codes[1]


def test_lang_all_builds_each_region_in_each_of_its_languages(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--region", "US,MX", "--lang", "all", "--format", "card", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    have = content_languages()
    expected = {f"{code}-{lang}" for code in ("US", "MX") for lang in region_languages(code) if lang in have}
    assert expected == {"US-en", "US-es", "MX-es"}        # what the YAML files say, spelled out
    assert built_editions(out) == expected
    for edition in expected:
        data = json.loads((out / ZINE / edition / "manifest.json").read_text(encoding="utf-8"))
        assert f"{data['region']}-{data['lang']}" == edition


@pytest.fixture(scope="module")
def jobs_builds(tmp_path_factory) -> dict[int, tuple[Path, object]]:
    """The same two editions in two formats, built with one worker and with two (quietly)."""
    builds = {}
    for jobs, extra in ((1, ()), (2, ("--quiet",))):
        out = tmp_path_factory.mktemp(f"jobs{jobs}")
        result = run_cli("build", "--region", "US,GB", "--format", "card,minizine", "--jobs", str(jobs),
                         *extra, "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        builds[jobs] = out, result
    return builds


def test_one_worker_or_two_give_byte_identical_pdfs(jobs_builds):
    (one, _), (two, _) = jobs_builds[1], jobs_builds[2]
    pdfs = sorted(path.relative_to(one) for path in one.rglob("*.pdf"))
    assert len(pdfs) == 8, pdfs                # 2 editions x 2 formats x (print file + reading pages)
    assert pdfs == sorted(path.relative_to(two) for path in two.rglob("*.pdf"))
    different = [str(path) for path in pdfs if (one / path).read_bytes() != (two / path).read_bytes()]
    assert not different


def test_one_worker_or_two_give_the_same_manifest_but_for_timings(jobs_builds):
    def without_timings(path: Path) -> dict:
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data["build"]["formats"].values():
            record.pop("seconds")
        return data

    (one, _), (two, _) = jobs_builds[1], jobs_builds[2]
    for manifest in sorted(one.glob(f"{ZINE}/*/manifest.json")):
        assert without_timings(manifest) == without_timings(two / manifest.relative_to(one)), manifest


def test_a_batch_shows_progress_unless_quiet_and_always_the_table(jobs_builds):
    (_, loud), (_, quiet) = jobs_builds[1], jobs_builds[2]
    assert len(PROGRESS.findall(loud.stdout)) == 4, loud.stdout         # one line per edition and format
    assert not PROGRESS.search(quiet.stdout + quiet.stderr), quiet.stdout + quiet.stderr
    for result in (loud, quiet):
        rows = table_rows(result.stdout)
        assert set(rows) == {"US-en", "GB-en"} and all(cells[-1] == "ok" for cells in rows.values()), rows
        assert "2 editions: 2 ok, 0 failed" in result.stdout


def test_a_batch_again_is_up_to_date_everywhere(jobs_builds):
    out, _ = jobs_builds[1]
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    result = run_cli("build", "--region", "US,GB", "--format", "card,minizine", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = table_rows(result.stdout)
    assert all(cells[1] == "-" and cells[-1] == "ok" for cells in rows.values()), rows
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before


def test_a_batch_up_to_date_without_its_stamp_stops_the_workers_it_started(jobs_builds):
    """With no stamp to answer from, the editions are loaded and planned while two workers start (a
    batch of several editions starts them early): nothing is stale, so they are stopped unused."""
    out, _ = jobs_builds[2]
    shutil.rmtree(out / ".zinepress", ignore_errors=True)
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    result = run_cli("build", "--region", "US,GB", "--format", "card,minizine", "--jobs", "2", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    rows = table_rows(result.stdout)
    assert set(rows) == {"US-en", "GB-en"}
    assert all(cells[1] == "-" and cells[-1] == "ok" for cells in rows.values()), rows
    after = {path: path.stat().st_mtime_ns for path in out.rglob("*")
             if path.is_file() and ".zinepress" not in path.parts}
    assert after == before


def test_a_worker_loads_each_edition_of_a_batch_once(monkeypatch):
    """Tasks go slowest format first, so a worker moves between editions: it keeps each one it has
    loaded for the rest of the batch."""
    from zinepress import batch
    from zinepress.batch import Job, capture, forget_loaded
    from zinepress.output import FormatBuild

    loads = []
    real = batch.load_job
    monkeypatch.setattr(batch, "load_job", lambda job: loads.append(job.selection.region) or real(job))
    forget_loaded()
    us, gb = (Job(Selection(region=code), {}, ("card", "minizine")) for code in ("US", "GB"))
    for job, name in ((us, "card"), (gb, "card"), (us, "minizine"), (gb, "minizine")):
        assert isinstance(capture(job, name, None), FormatBuild)
    assert loads == ["US", "GB"]
    assert len(batch._layouter_cache) == 2
    forget_loaded()
    assert batch._layouter_cache == {}


def test_workers_forked_for_one_edition_start_from_the_parents_copy(monkeypatch, tmp_path):
    """The parent loads the edition to plan it; the workers it forks then lay it out without loading it
    again. Each load is noted with the process that made it."""
    from zinepress import batch
    from zinepress.output import FormatBuild
    from zinepress.progress import Progress

    noted = tmp_path / "loaded-in"
    real = batch.load_job

    def load_job(job):
        with noted.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return real(job)

    monkeypatch.setattr(batch, "load_job", load_job)
    batch.forget_loaded()
    [outcome] = batch.run_batch([Job(Selection(region="US"), {}, ("card", "minizine"))], tmp_path / "out", 2,
                                Progress("quiet"))
    assert outcome.error is None and sorted(outcome.built) == ["card", "minizine"]
    assert noted.read_text().split() == [str(os.getpid())]
    assert batch._loaded_here == {}
    # In the parent itself (one worker) the edition is loaded for the layouts as before.
    batch.forget_loaded()
    assert isinstance(batch.capture(Job(Selection(region="US"), {}, ("card",)), "card", None), FormatBuild)
    assert noted.read_text().split() == [str(os.getpid())] * 2


# The flag files of the next test: set before its workers are forked, which inherit them.
FLAGS: dict[str, Path] = {}


def slow_minizine(job, name, hint, check=False):
    """capture() in a worker, but the minizine waits (up to 20 s) for the parent to have checked the card."""
    from zinepress import batch

    if name == "minizine":
        deadline = time.monotonic() + 20
        while not FLAGS["checked card"].exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if FLAGS["checked card"].exists():
            FLAGS["saw it"].touch()
    return batch.capture_unpatched(job, name, hint, check)


def test_each_format_is_checked_as_soon_as_it_is_back(monkeypatch, tmp_path):
    """The parent checks a format that finishes early while a slower one is still being laid out: here
    the slower one waits until the parent has checked the faster, which only a parent taking results as
    they arrive, not in the order it handed them out, does."""
    from zinepress import batch
    from zinepress.progress import Progress

    FLAGS.update({"checked card": tmp_path / "card-checked", "saw it": tmp_path / "minizine-saw-it"})
    real_check = batch.checked_or_error

    def noting_card(built, *args):        # in the parent (a worker would note its own process)
        if built.format == "card":
            FLAGS["checked card"].write_text(str(os.getpid()))
        return real_check(built, *args)

    monkeypatch.setattr(batch, "capture_unpatched", batch.capture, raising=False)
    monkeypatch.setattr(batch, "capture", slow_minizine)
    monkeypatch.setattr(batch, "checked_or_error", noting_card)
    batch.forget_loaded()
    [outcome] = batch.run_batch([Job(Selection(), {}, ("minizine", "card"))], tmp_path / "out", 2, Progress("quiet"))
    assert outcome.error is None and sorted(outcome.built) == ["card", "minizine"]
    assert FLAGS["saw it"].exists() and FLAGS["checked card"].read_text() == str(os.getpid())


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bug_while_checking_fails_its_edition_alone(workers, monkeypatch, tmp_path):
    from zinepress import batch
    from zinepress.progress import Progress

    # the US card prints the 988 Lifeline; the GB card does not
    break_checking(monkeypatch, lambda built: any("988" in line for line in built.files[0].lines))
    batch.forget_loaded()
    jobs = [Job(Selection(region=code), {}, ("card",)) for code in ("US", "GB")]
    first, second = batch.run_batch(jobs, tmp_path, workers, Progress("quiet"))
    assert first.error is not None and "internal error RuntimeError('checking broke')" in first.error.line()
    assert second.error is None and (tmp_path / "unpacking-self-harm" / "GB-en" / "card.pdf").is_file()
    assert not (tmp_path / "unpacking-self-harm" / "US-en").exists()


def test_files_never_checked_are_never_written(monkeypatch, tmp_path):
    from zinepress import batch
    from zinepress.progress import Progress

    monkeypatch.setattr(batch, "checked_or_error", lambda built, *args: built)   # a path that forgot to check
    batch.forget_loaded()
    [outcome] = batch.run_batch([Job(Selection(), {}, ("card",))], tmp_path, 1, Progress("quiet"))
    assert outcome.error is not None and "never checked" in outcome.error.line()
    assert not list(tmp_path.rglob("*.pdf"))


def note_checking_processes(monkeypatch, log: Path) -> Path:
    """checking.checked, patched to note in `log` the process that checks each format (workers forked
    after the patch inherit it)."""
    from zinepress import checking

    real = checking.checked

    def noting_process(built, *args):
        with open(log, "a") as file:
            file.write(f"{os.getpid()}\n")
        return real(built, *args)

    monkeypatch.setattr(checking, "checked", noting_process)
    return log


@pytest.mark.parametrize("regions, most", [(("US",), 1), (("US", "GB"), 4)])
def test_with_many_workers_or_editions_each_checks_its_own_files(regions, most, monkeypatch, tmp_path):
    """Beyond PARENT_CHECKS_UP_TO workers the parent would become the queue, and several editions keep
    the workers even without it: the workers check."""
    from zinepress import batch
    from zinepress.progress import Progress

    log = note_checking_processes(monkeypatch, tmp_path / "checked-in")
    monkeypatch.setattr(batch, "PARENT_CHECKS_UP_TO", most)
    batch.forget_loaded()
    jobs = [Job(Selection(region=code), {}, ("card", "minizine")) for code in regions]
    outcomes = batch.run_batch(jobs, tmp_path / "out", 2, Progress("quiet"))
    assert all(outcome.error is None for outcome in outcomes)
    pids = log.read_text().split()
    assert len(pids) == 2 * len(regions) and str(os.getpid()) not in pids
    for code in regions:
        manifest = tmp_path / f"out/unpacking-self-harm/{code}-en/manifest.json"
        entries = json.loads(manifest.read_text())["files"]
        assert all(entry["ink_coverage"]["total"] > 0 for entry in entries if entry["kind"] == "print")


@pytest.mark.parametrize("jobs", [2, 8])
def test_one_stale_edition_is_checked_in_the_parent(jobs, monkeypatch, tmp_path):
    """One edition to build (here beside one already up to date), on no more workers than its formats
    keep busy: the parent checks its files, whatever --jobs asked for."""
    from zinepress import batch
    from zinepress.progress import Progress

    us = Job(Selection(region="US"), {}, ("card",))
    batch.forget_loaded()
    assert batch.run_batch([us], tmp_path, 1, Progress("quiet"))[0].error is None
    pids = note_checking_processes(monkeypatch, tmp_path / "checked-in")
    batch.forget_loaded()
    gb = Job(Selection(region="GB"), {}, ("card", "minizine"))
    first, second = batch.run_batch([us, gb], tmp_path, jobs, Progress("quiet"))
    assert first.error is None and first.built == [] and second.error is None
    assert pids.read_text().split() == [str(os.getpid())] * 2


def test_a_bug_while_the_parent_checks_fails_the_edition_and_writes_nothing(monkeypatch, tmp_path):
    from zinepress import batch
    from zinepress.progress import Progress

    break_checking(monkeypatch, lambda built: built.format == "card")
    batch.forget_loaded()
    [outcome] = batch.run_batch([Job(Selection(), {}, ("card", "minizine"))], tmp_path, 2, Progress("quiet"))
    assert outcome.error is not None and "internal error RuntimeError('checking broke')" in outcome.error.line()
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("workers, beside", [(1, False), (2, True)])
def test_toner_is_measured_beside_preflight_only_by_the_parent_of_workers(workers, beside, monkeypatch, tmp_path):
    """The parent of a pool has a core for Ghostscript while it preflights (its last format's checks
    overlap nothing else); --jobs 1 is one core's work, in order."""
    import threading

    from zinepress import batch, checking
    from zinepress.progress import Progress

    threads = []
    real = checking.ink_coverage

    def noting_thread(pdf):
        threads.append(threading.get_ident())
        return real(pdf)

    monkeypatch.setattr(checking, "ink_coverage", noting_thread)
    batch.forget_loaded()
    [outcome] = batch.run_batch([Job(Selection(), {}, ("card", "minizine"))], tmp_path, workers, Progress("quiet"))
    assert outcome.error is None and len(threads) == 2   # card.pdf and minizine.pdf, in this process
    assert all((thread != threading.get_ident()) == beside for thread in threads), threads
