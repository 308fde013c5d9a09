"""Toner use from one kept Ghostscript: the same figures a fresh `gs` run prints, one start for many
files, and a damaged file, a hang or a forked worker disturbing no other measurement."""

import multiprocessing
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from weasyprint import HTML

from zinepress import inkcov
from zinepress.paths import private_folder

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")

PAGE = "<style>@page {{ size: A6; margin: 1cm }} body {{ font: 14pt sans-serif }}</style>{}"


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {"black text": HTML(string=PAGE.format("<p>Call or text 988.</p>" * 12)).write_pdf(),
            "red block": HTML(string=PAGE.format('<div style="background: #c00; height: 5cm"></div>'
                                                 "<p style='break-before: page'>Two pages.</p>")).write_pdf()}


@pytest.fixture(autouse=True)
def fresh_session():
    inkcov.stop()
    yield
    inkcov.stop()


def fresh_gs(tmp_path: Path, pdf: bytes) -> dict:
    """The reference: a Ghostscript started for this file alone, its page lines averaged here."""
    path = tmp_path / "reference.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", "-", "-sDEVICE=inkcov",
                             str(path)], capture_output=True, text=True, check=True).stdout
    pages = [line.split()[:4] for line in output.splitlines() if line.strip().endswith("OK")]
    means = [100 * sum(float(page[i]) for page in pages) / len(pages) for i in range(4)]
    return {**dict(zip("CMYK", (round(mean, 3) for mean in means))), "total": round(sum(means), 3)}


def counting_gs(tmp_path: Path) -> Path:
    """A `gs` on PATH that notes each start in a log, then runs the real one."""
    folder, log = tmp_path / "bin", tmp_path / "starts.log"
    folder.mkdir()
    wrapper = folder / "gs"
    wrapper.write_text(f'#!/bin/sh\necho start >> "{log}"\nexec "{shutil.which("gs")}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return log


def test_each_file_gets_the_figures_a_fresh_ghostscript_gives(pdfs, tmp_path):
    expected = {name: fresh_gs(tmp_path, pdf) for name, pdf in pdfs.items()}
    assert expected["red block"] != expected["black text"]
    for name in ["black text", "red block", "black text", "red block"]:   # nothing carries over
        assert inkcov.ink_coverage(pdfs[name]) == (expected[name], None), name


def test_one_ghostscript_start_serves_many_files(pdfs, tmp_path, monkeypatch):
    log = counting_gs(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    results = [inkcov.ink_coverage(pdf) for pdf in list(pdfs.values()) * 3]
    assert all(coverage is not None and problem is None for coverage, problem in results)
    assert log.read_text().split() == ["start"]


def test_a_ghostscript_started_early_measures_the_files_that_come(pdfs, tmp_path, monkeypatch):
    """A batch starts its Ghostscript before it imports the build: that one start serves every file."""
    expected = fresh_gs(tmp_path, pdfs["red block"])
    log = counting_gs(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    inkcov.start_early()
    started = inkcov._session
    assert started is not None and started.process.poll() is None
    assert inkcov.ink_coverage(pdfs["red block"]) == (expected, None)
    assert inkcov._session is started and log.read_text().split() == ["start"]


def test_without_ghostscript_starting_early_does_nothing(monkeypatch):
    monkeypatch.setattr(inkcov.shutil, "which", lambda name: None)
    inkcov.start_early()
    assert inkcov._session is None


def test_a_damaged_file_is_reported_and_the_next_one_measured(pdfs, tmp_path):
    good = fresh_gs(tmp_path, pdfs["black text"])
    assert inkcov.ink_coverage(b"%PDF-1.7 not really") == (None, "Ghostscript measured no page")
    assert inkcov.ink_coverage(pdfs["black text"]) == (good, None)


def test_measured_files_are_not_left_behind_and_a_stopped_workers_are_swept(pdfs, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = private_folder("inkcov")
    dead = subprocess.Popen(["true"])
    dead.wait()
    (folder / f"{dead.pid}-7.pdf").write_bytes(b"left by a worker stopped mid-file")
    (folder / f"{os.getppid()}-1.pdf").write_bytes(b"a running process's")
    inkcov.ink_coverage(pdfs["black text"])
    assert sorted(path.name for path in folder.iterdir()) == [f"{os.getppid()}-1.pdf"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_folder_another_user_holds_is_not_used(pdfs, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    taken = tmp_path / f"zinepress-inkcov-{os.getuid()}"
    taken.mkdir()
    taken.chmod(0o777)   # as if another user made it: not ours alone
    assert inkcov.ink_coverage(pdfs["black text"]) == (fresh_gs(tmp_path, pdfs["black text"]), None)
    assert list(taken.iterdir()) == []
    inkcov.stop()
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("zinepress-inkcov")) \
        == [taken.name]   # the session's own folder went with it


def test_any_characters_in_the_folder_name(pdfs, tmp_path, monkeypatch):
    odd = tmp_path / "a (b) c\\d %e ü"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    assert inkcov.ink_coverage(pdfs["red block"]) == (fresh_gs(tmp_path, pdfs["red block"]), None)


def test_a_ghostscript_serves_so_many_files_then_a_new_one_starts(pdfs, tmp_path, monkeypatch):
    log = counting_gs(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(inkcov, "FILES_PER_SESSION", 2)
    for _ in range(5):
        assert inkcov.ink_coverage(pdfs["black text"])[1] is None
    assert log.read_text().split() == ["start"] * 3


def test_an_answer_left_unread_is_not_taken_for_the_next_files():
    done = inkcov.DONE
    output = f"0.5 0.5 0.5 0.5 CMYK OK\n{done}-3\n 0.1 0.2 0.3 0.4 CMYK OK\n{done}-4\n"
    assert inkcov.answer(output, f"{done}-4").split() == ["0.1", "0.2", "0.3", "0.4", "CMYK", "OK"]
    assert inkcov.answer(output, f"{done}-3").split() == ["0.5", "0.5", "0.5", "0.5", "CMYK", "OK"]


def measure_in_child(pdf: bytes, results) -> None:
    results.put(inkcov.ink_coverage(pdf))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_worker_measures_with_its_own_ghostscript(pdfs, tmp_path):
    expected = fresh_gs(tmp_path, pdfs["red block"])
    inkcov.ink_coverage(pdfs["black text"])   # the parent's Ghostscript is running when it forks
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    children = [context.Process(target=measure_in_child, args=(pdfs["red block"], results)) for _ in range(2)]
    for child in children:
        child.start()
    assert [results.get(timeout=30) for _ in children] == [(expected, None)] * 2
    for child in children:
        child.join(timeout=30)
    assert inkcov.ink_coverage(pdfs["red block"]) == (expected, None)   # and the parent's still answers


def test_after_a_hang_the_next_file_starts_a_new_ghostscript(pdfs, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "gs").write_text("#!/bin/sh\nsleep 30\n")
    (folder / "gs").chmod(0o755)
    monkeypatch.setattr(inkcov, "TIMEOUT", 1)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    assert inkcov.ink_coverage(pdfs["black text"]) == (None, "Ghostscript took over 1 s")
    monkeypatch.undo()
    assert inkcov.ink_coverage(pdfs["black text"]) == (fresh_gs(tmp_path, pdfs["black text"]), None)
