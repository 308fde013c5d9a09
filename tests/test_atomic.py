"""A build that fails at any point leaves the edition folder exactly as it was; Ghostscript trouble
leaves toner use out with a warning instead of failing the build."""

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from conftest import CARD_ONLY, ROOT, manifest, run_cli, shared_copy
from zinepress import atomic, inkcov


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path) -> Path:
    edition = tmp_path / "US-en"
    edition.mkdir()
    (edition / "card.pdf").write_bytes(b"old card")
    (edition / "manifest.json").write_bytes(b"old manifest")
    (edition / "my-notes.txt").write_bytes(b"the group's own file")
    return edition


def test_new_files_replace_old_ones_and_others_stay(folder):
    atomic.replace_folder(folder, {"card.pdf": b"new card", "manifest.json": b"new manifest"})
    assert snapshot(folder) == {"card.pdf": b"new card", "manifest.json": b"new manifest",
                                "my-notes.txt": b"the group's own file"}
    assert [p.name for p in folder.parent.iterdir()] == ["US-en"]      # no staging or retired folder left


def test_a_failure_while_writing_leaves_the_folder_as_it_was(folder, monkeypatch):
    before, written = snapshot(folder), []

    def failing(path, data):
        if written:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(atomic, "write_file", failing)
    with pytest.raises(OSError):
        atomic.replace_folder(folder, {"card.pdf": b"new card", "manifest.json": b"new manifest"})
    assert snapshot(folder) == before
    assert [p.name for p in folder.parent.iterdir()] == ["US-en"]


def test_a_failure_in_the_swap_puts_the_old_folder_back(folder, monkeypatch):
    before, calls, real_replace = snapshot(folder), [], os.replace

    def second_rename_fails(source, target):
        calls.append((source, target))
        if len(calls) == 2:        # old folder retired; putting the new one in place fails
            raise OSError(1, "Operation not permitted", str(target))
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", second_rename_fails)
    with pytest.raises(OSError):
        atomic.replace_folder(folder, {"card.pdf": b"new card"})
    assert snapshot(folder) == before
    assert [p.name for p in folder.parent.iterdir()] == ["US-en"]


def test_leftovers_of_a_killed_build_are_swept(folder):
    retired = folder.with_name(f".US-en.{atomic.RETIRED}.1.1")
    folder.rename(retired)                       # killed between the two renames: the folder is gone
    stale = folder.with_name(f".US-en.{atomic.STAGING}.old")
    stale.mkdir()
    os.utime(stale, (time.time() - 2 * atomic.STALE_AFTER,) * 2)
    atomic.replace_folder(folder, {"card.pdf": b"new card"})
    assert snapshot(folder)["my-notes.txt"] == b"the group's own file"      # the retired copy came back
    assert snapshot(folder)["card.pdf"] == b"new card"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["US-en"]


def test_a_folder_in_the_way_of_an_output_is_a_clean_error(tmp_path):
    out = tmp_path / "out"
    blocked = out / "unpacking-self-harm" / "US-en" / "card.pdf"
    blocked.mkdir(parents=True)
    result = run_cli("build", "--format", "card", "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write there" in result.stderr.splitlines()[-1]
    assert blocked.is_dir()


def test_a_failed_build_keeps_the_earlier_edition(tmp_path, tmp_path_factory):
    out = shared_copy(tmp_path_factory, tmp_path / "out", *CARD_ONLY)     # an earlier card build
    folder = out / "unpacking-self-harm" / "US-en"
    before = snapshot(folder)
    # The same edition again, now with a contacts file whose line cannot be read: nothing may change.
    bad = tmp_path / "ours.yaml"
    bad.write_text("lines:\n  - name: Ours\n    call: 'not a number'\n", encoding="utf-8")
    result = run_cli("build", "--format", "card", "--out", str(out), "--contacts", str(bad))
    assert result.returncode == 1
    assert snapshot(folder) == before


def fake_ghostscript(tmp_path: Path, body: str) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gs = bin_dir / "gs"
    gs.write_text(f"#!/bin/sh\n{body}\n")
    gs.chmod(gs.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_a_broken_ghostscript_is_a_warning_not_a_failure(tmp_path):
    env = fake_ghostscript(tmp_path, "echo 'gs: broken install' >&2; exit 1")
    import subprocess
    result = subprocess.run([sys.executable, str(ROOT / "make_zine.py"), "build", "--format", "card",
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning: card.pdf: toner use not measured: Ghostscript failed" in result.stderr
    folder = tmp_path / "out" / "unpacking-self-harm" / "US-en"
    entry = next(e for e in manifest(folder)["files"] if e["file"] == "card.pdf")
    assert "ink_coverage" not in entry and (folder / "card.pdf").read_bytes().startswith(b"%PDF")


def test_a_hung_ghostscript_is_stopped_in_seconds(tmp_path, monkeypatch):
    env = fake_ghostscript(tmp_path, "sleep 30")
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setattr(inkcov, "TIMEOUT", 1)
    started = time.monotonic()
    coverage, problem = inkcov.ink_coverage(b"%PDF-1.7 not really")
    assert coverage is None and "took over 1 s" in problem
    assert time.monotonic() - started < 10


def test_ctrl_c_is_one_line_and_keeps_the_earlier_edition(tmp_path, tmp_path_factory):
    import signal
    import subprocess
    out = shared_copy(tmp_path_factory, tmp_path / "out")      # an earlier build of every format
    folder = out / "unpacking-self-harm" / "US-en"
    before = snapshot(folder)
    process = subprocess.Popen([sys.executable, str(ROOT / "make_zine.py"), "build", "--force", "--jobs", "2",
                                "--out", str(out)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("[1/")   # one format done, four still laying out
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr.splitlines()[-1]
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["US-en"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_stopped_build_exits_143_and_leaves_nothing_running(jobs, tmp_path, tmp_path_factory):
    """SIGTERM (a CI job cancelled, a server stopping) unwinds like Ctrl-C: status 143, the earlier edition
    kept, and the command's quick exit (cli.command) still stops its Ghostscript and removes the fonts'
    copies first, the killed workers' included (workers.stop_now)."""
    import signal
    import subprocess
    out = shared_copy(tmp_path_factory, tmp_path / "out")
    folder = out / "unpacking-self-harm" / "US-en"
    before = snapshot(folder)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    regions = "US" if jobs == "1" else "US,GB"   # two editions: a pool, and time enough to stop it
    process = subprocess.Popen([sys.executable, str(ROOT / "make_zine.py"), "build", "--force", "--jobs", jobs,
                                "--region", regions, "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "TMPDIR": str(temporary)})
    time.sleep(2.5 if jobs == "1" else 1.5)   # laying out, with Ghostscript measuring what is done
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr and snapshot(folder) == before
    assert not list(temporary.glob("weasyprint-*")) and not list(temporary.glob("zinepress-fonts-*"))
    running = subprocess.run(["ps", "-o", "pid=,ppid=,args=", "-A"], capture_output=True, text=True).stdout
    assert not [line for line in running.splitlines() if str(temporary) in line or
                line.split()[1:2] == [str(process.pid)]], running


@pytest.mark.parametrize("when", ["loading", "building"])
def test_ctrl_c_in_a_batch_of_editions_stops_its_early_workers(tmp_path, when):
    """A batch of several editions starts its workers before it loads the editions (workers.py): Ctrl-C
    while it loads them or while they build is still the one line, with no traceback."""
    import signal
    import subprocess
    process = subprocess.Popen([sys.executable, str(ROOT / "make_zine.py"), "build", "--region", "US,GB,DE",
                                "--format", "card", "--jobs", "2", "--out", str(tmp_path / "out")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if when == "loading":
        time.sleep(0.3)
    else:
        assert process.stdout.readline().startswith("[1/")   # one edition's card done, two on the way
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the batch finished before the interrupt")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr.splitlines()[-1]


def test_preflight_reports_a_pdf_the_manifest_does_not_list(tmp_path, tmp_path_factory):
    folder = shared_copy(tmp_path_factory, tmp_path / "out", *CARD_ONLY) / "unpacking-self-harm" / "US-en"
    (folder / "poster.pdf").write_bytes((folder / "card.pdf").read_bytes())     # an older build's file
    result = run_cli("preflight", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    row = next(line for line in result.stdout.splitlines() if "poster.pdf" in line)
    assert "FAIL" in row and "not in the manifest" in row


def test_preflight_reads_nothing_outside_the_edition_folder(tmp_path, tmp_path_factory):
    import json
    folder = shared_copy(tmp_path_factory, tmp_path / "out", *CARD_ONLY) / "unpacking-self-harm" / "US-en"
    secret = tmp_path / "secret.pdf"
    secret.write_bytes((folder / "card.pdf").read_bytes())
    data = json.loads((folder / "manifest.json").read_text())
    data["files"][0]["file"] = "../../../secret.pdf"
    (folder / "manifest.json").write_text(json.dumps(data))
    result = run_cli("preflight", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not a file name in this folder" in result.stdout
    assert "secret.pdf  " not in result.stdout.replace("'../../../secret.pdf'", "")


def test_a_folder_never_holds_pdfs_from_two_builds(tmp_path, tmp_path_factory):
    out = shared_copy(tmp_path_factory, tmp_path / "out")      # an earlier build of every format
    [folder] = [path.parent for path in out.glob("*/*/manifest.json")]
    (folder / "my-notes.txt").write_text("the group's own file")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    result = run_cli("build", "--out", str(out), "--format", "card", "--paper", "a4")   # another edition
    assert result.returncode == 0, result.stderr
    other = folder.with_name(folder.name + "-a4")
    assert sorted(path.name for path in other.iterdir()) == ["card-pages.pdf", "card.pdf", "manifest.json"]
    assert manifest(other)["paper"] == "a4" and manifest(folder)["paper"] == "letter"
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert run_cli("preflight", str(folder), str(other)).returncode == 0


def test_the_command_ends_without_waiting_for_a_thread_left_running(tmp_path):
    """Python's own shutdown waits for every thread, and a process pool's manager thread can hang once its
    workers were killed (CPython gh-132969): the command runs the exit functions itself and ends."""
    import subprocess
    marker = tmp_path / "exit function ran"
    code = ("import atexit, threading, time\n"
            "import zinepress.commands as commands\n"
            "from zinepress.cli import command\n"
            "listing = commands.COMMANDS['list']\n"
            "def list_leaving_a_thread(args):\n"
            f"    atexit.register(lambda: open({str(marker)!r}, 'w').close())   # as the build's are: during it\n"
            "    threading.Thread(target=time.sleep, args=(120,)).start()   # not a daemon: shutdown would wait\n"
            "    listing(args)\n"
            "commands.COMMANDS['list'] = list_leaving_a_thread\n"
            "command(['list', 'formats'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "minizine" in result.stdout, result.stderr
    assert marker.exists()


def test_a_stop_with_a_message_still_says_it(tmp_path):
    import subprocess
    code = ("import zinepress.commands as commands\n"
            "from zinepress.cli import command\n"
            "def stopping(args):\n"
            "    raise SystemExit('stopped: a message')\n"
            "commands.COMMANDS['list'] = stopping\n"
            "command(['list', 'formats'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.strip() == "stopped: a message"
