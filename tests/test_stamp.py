"""The stamp: a build run again with nothing changed answers from its stamp, saying exactly what the full
up-to-date check says, without loading editions or WeasyPrint; any change to what it read or wrote, and
the build runs as usual.

Inputs are changed in a copy of the project, never in the checkout."""

import datetime as dt
import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import CONTACTS, copy_project, pdf_text, run_here, squash

EDITION = Path("unpacking-self-harm") / "US-en"
# Runs the copy's make_zine main() with the given arguments, then says which path the build took.
RUNNER = """\
import sys
sys.path.insert(0, {project!r})
from zinepress.cli import main
status = main(sys.argv[1:])
loaded = [name for name in sys.modules if name in ("zinepress.edition", "weasyprint", "markdown_it")]
print("PATH:", "full" if loaded else "stamp", file=sys.stderr)
sys.exit(status)
"""


def run(project: Path, *args: str) -> tuple[str, str, str]:
    """(stdout, stderr without the PATH line, "stamp" or "full")."""
    done = subprocess.run([sys.executable, "-c", RUNNER.format(project=str(project)), "build", *args],
                          cwd=project, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stderr.splitlines(keepends=True)
    path = lines[-1].split()[-1]
    return done.stdout, "".join(lines[:-1]), path


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    (project / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(project) -> tuple[str, ...]:
    """The arguments of a card build with a contacts file, built once."""
    args = ("--format", "card", "--contacts", "contacts.yaml", "--out", "out", "--quiet")
    run(project, *args)
    return args


def test_a_build_run_again_answers_from_its_stamp_as_the_full_check_does(project, built):
    stdout, stderr, path = run(project, *built)
    assert path == "stamp"
    assert "up to date:" in stdout and "(card)" in stdout, stdout
    for stamp in (project / "out/.zinepress/stamps").iterdir():
        stamp.unlink()
    full = run(project, *built)
    assert full == (stdout, stderr, "full")
    assert run(project, *built)[2] == "stamp"   # the full check stamped it again


def test_another_command_has_its_own_stamp(project, built):
    assert run(project, *built, "--grayscale")[2] == "full"
    assert run(project, *built)[2] == "stamp"


def edit(path: Path) -> bytes:
    original = path.read_bytes()
    path.write_bytes(original + b"\n# an edit\n")
    return original


CHANGES = {   # path under the project -> what a build would need to look at again
    "content text": "content/unpacking-self-harm/en.md",
    "crisis lines": "content/crisis-lines/US.yaml",
    "another zine's text": "content/unpacking-self-harm/fr.md",
    "contacts file": "contacts.yaml",
    "format layout": "layouts/card/style.css",
    "fonts": "fonts/fonts.css",
    "zinepress source": "zinepress/__init__.py",
    "the gallery's style": "zinepress/templates/gallery.css",
    "a printed file": "out/unpacking-self-harm/US-en-contacts-{hash}/card.pdf",
    "the manifest": "out/unpacking-self-harm/US-en-contacts-{hash}/manifest.json",
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_a_change_to_what_the_build_read_or_wrote_is_not_answered_from_the_stamp(project, built, what):
    assert run(project, *built)[2] == "stamp"
    folder = min((project / "out/unpacking-self-harm").glob("US-en-contacts-*")).name   # not -grayscale
    path = project / CHANGES[what].replace("US-en-contacts-{hash}", folder)
    original = edit(path)
    try:
        stdout, _, taken = run(project, *built)
    finally:
        path.write_bytes(original)
    assert taken == "full", what
    if what in ("a printed file", "the manifest"):
        assert "up to date" not in stdout   # rebuilt
    run(project, *built)   # restamp for the next case


@pytest.mark.parametrize("what", ["a printed file", "the gallery page"])
def test_a_deleted_output_is_not_answered_from_the_stamp(project, built, what):
    assert run(project, *built)[2] == "stamp"
    folder = min((project / "out/unpacking-self-harm").glob("US-en-contacts-*"))
    path = folder / "card.pdf" if what == "a printed file" else project / "out/index.html"
    path.unlink()
    stdout, _, taken = run(project, *built)
    assert taken == "full" and path.is_file()


def test_force_never_answers_from_the_stamp(project, built):
    stdout, _, taken = run(project, *built, "--force")
    assert taken == "full" and "up to date" not in stdout


def test_a_failed_build_leaves_no_stamp_for_its_command(project, built, tmp_path):
    stamps = tmp_path / "out/.zinepress/stamps"
    built = (*built[:-3], "--out", str(tmp_path / "out"), "--quiet")
    run(project, *built, "--grayscale")
    other = next(stamps.iterdir())   # another command's, which stays
    run(project, *built)
    assert len(list(stamps.iterdir())) == 2
    contacts = project / "contacts.yaml"
    original = contacts.read_bytes()
    contacts.write_text(CONTACTS.replace('"(503) 555-0142"', '"555"'), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-c", RUNNER.format(project=str(project)), "build", *built],
                              cwd=project, capture_output=True, text=True, timeout=600)
    finally:
        contacts.write_bytes(original)
    assert done.returncode == 1
    assert sorted(stamps.iterdir()) == [other]
    assert run(project, *built)[2] == "full"   # no stamp: the full check (up to date, as the edit was undone)


def test_the_key_changes_with_the_day_and_the_options(monkeypatch, tmp_path):
    from zinepress import stamp

    args = Namespace(command="build", out=tmp_path, region="US", format="all", jobs=None, force=False)
    today = stamp.command_key(args)
    assert stamp.command_key(Namespace(**{**vars(args), "jobs": 4})) == today   # how, not what
    assert stamp.command_key(Namespace(**{**vars(args), "region": "GB"})) != today

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2099, 1, 2)

    monkeypatch.setattr(stamp, "dt", SimpleNamespace(date=Tomorrow))   # this module's clock only
    assert stamp.command_key(args) != today   # a line's check date can start a warning on a later day


def test_formats_built_before_and_now_are_said_in_the_order_asked(project, tmp_path):
    out = str(tmp_path / "out")
    run(project, "--format", "card", "--out", out)
    run(project, "--format", "minizine,card", "--out", out)    # builds the mini zine; the card is current
    stdout, stderr, path = run(project, "--format", "minizine,card", "--out", out)
    assert path == "stamp" and "(minizine, card)" in stdout, stdout
    for stamp in (tmp_path / "out/.zinepress/stamps").iterdir():
        stamp.unlink()
    assert run(project, "--format", "minizine,card", "--out", out) == (stdout, stderr, "full")


def test_a_usage_mistake_is_one_even_when_a_stamp_would_answer(project, built):
    assert run(project, *built)[2] == "stamp"
    done = subprocess.run([sys.executable, "-c", RUNNER.format(project=str(project)), "build", *built,
                           "--jobs", "0"], cwd=project, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "--jobs" in done.stderr, done.stderr


def test_a_relinked_contacts_file_is_not_answered_from_the_stamp(project, tmp_path):
    """--contacts current.yaml, a link to this month's file: pointed at next month's, the build reads it."""
    (tmp_path / "november.yaml").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "december.yaml").write_text(CONTACTS.replace("555-0142", "555-0177"), encoding="utf-8")
    link = tmp_path / "current.yaml"
    link.symlink_to(tmp_path / "november.yaml")
    args = ("--format", "card", "--contacts", str(link), "--out", str(tmp_path / "out"))
    run(project, *args)
    link.unlink()
    link.symlink_to(tmp_path / "december.yaml")
    stdout, _, path = run(project, *args)
    assert path == "full" and "up to date" not in stdout
    folder = max((tmp_path / "out/unpacking-self-harm").glob("US-en-*"), key=lambda p: p.stat().st_mtime)
    assert squash("(503) 555-0177") in squash(pdf_text(folder / "card-pages.pdf"))


def test_a_hidden_contacts_file_inside_the_project_is_digested_too(project):
    """content/ is digested whole except for dotfiles: one given by name is digested on its own."""
    hidden = project / "content" / ".our-lines.yaml"
    hidden.write_text(CONTACTS, encoding="utf-8")
    args = ("--format", "card", "--contacts", "content/.our-lines.yaml", "--out", "out-hidden")
    try:
        run(project, *args)
        assert run(project, *args)[2] == "stamp"
        hidden.write_text(CONTACTS.replace("555-0142", "555-0177"), encoding="utf-8")
        stdout, _, path = run(project, *args)
        assert path == "full" and "up to date" not in stdout
    finally:
        hidden.unlink()


def test_what_is_read_is_digested_before_the_build_not_after(tmp_path, monkeypatch):
    """A file edited while a build runs: the stamp keeps the digest taken before, so the next build
    sees the edit instead of taking the stamp's word."""
    from zinepress import stamp

    monkeypatch.chdir(tmp_path)
    contacts, printed, index = tmp_path / "lines.yaml", tmp_path / "out" / "card.pdf", tmp_path / "out" / "index.html"
    contacts.write_text(CONTACTS, encoding="utf-8")
    printed.parent.mkdir()
    printed.write_bytes(b"%PDF- as built")
    index.write_text("gallery", encoding="utf-8")
    args = Namespace(command="build", out=tmp_path / "out", contacts=contacts, region="US",
                     content="unpacking-self-harm", format="card", jobs=None, force=False)
    before = stamp.given_inputs(args)
    stamp.write(args.out, stamp.command_key(args), before, [printed], [index], ("up to date\n", ""))
    assert stamp.replay(args)                     # nothing changed: answered
    contacts.write_text(CONTACTS.replace("555-0142", "555-0177"), encoding="utf-8")   # "during the build"
    stamp.write(args.out, stamp.command_key(args), before, [printed], [index], ("up to date\n", ""))
    assert not stamp.replay(args)


def test_a_build_that_runs_past_midnight_is_stamped_for_the_day_it_began(monkeypatch, tmp_path):
    """Its notes and warnings are those of the day it started: the next day's build must check again."""
    from zinepress import commands, stamp

    days = iter([dt.date(2031, 3, 1)] * 2 + [dt.date(2031, 3, 2)] * 100)   # the stamp's look, the start

    class Clock(dt.date):
        @classmethod
        def today(cls):
            return next(days)

    given, kept = [], []
    key = stamp.command_key
    monkeypatch.setattr(stamp, "dt", SimpleNamespace(date=Clock))   # this module's clock only
    monkeypatch.setattr(stamp, "command_key", lambda args: given.append(key(args)) or given[-1])
    monkeypatch.setattr(commands, "remember", lambda out, key, *rest: kept.append(key))
    result = run_here("build", "--format", "card", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert len(given) == 2 and given[0] == given[1]   # the stamp looked for, the build began: 1 March
    assert kept == [given[1]]                          # stamped for 1 March, though it ended on the 2nd


def test_a_region_file_linked_into_the_project_and_pointed_elsewhere_is_read_again(project, tmp_path):
    """--region ./ours.yaml, a link to one of the project's region files: pointed at another, the build
    makes that region's edition instead of answering for the first."""
    link = project / "ours.yaml"
    link.symlink_to(project / "content/crisis-lines/US-CA.yaml")
    args = ("--format", "card", "--region", "./ours.yaml", "--out", str(tmp_path / "out"))
    try:
        run(project, *args)
        link.unlink()
        link.symlink_to(project / "content/crisis-lines/GB.yaml")
        stdout, _, path = run(project, *args)
    finally:
        link.unlink()
    assert path == "full" and "up to date" not in stdout
    assert any(folder.name.startswith("GB-en") for folder in (tmp_path / "out/unpacking-self-harm").iterdir())


def test_a_linked_folder_is_never_answered_from_a_stamp(project, tmp_path):
    """The digests do not follow links to folders (and a link can be pointed elsewhere): such a build
    always checks for itself."""
    link = project / "content" / "current"
    link.symlink_to(project / "content" / "unpacking-self-harm")
    args = ("--format", "card", "--content", "current", "--out", str(tmp_path / "out"))
    try:
        run(project, *args)
        stdout, _, path = run(project, *args)
    finally:
        link.unlink()
    assert path == "full" and "up to date" in stdout
    assert not list((tmp_path / "out/.zinepress/stamps").glob("*.json"))


def test_a_stamp_changed_by_hand_is_not_trusted(project, built):
    for stamp_path in (project / "out/.zinepress/stamps").iterdir():
        record = json.loads(stamp_path.read_text(encoding="utf-8"))
        stamp_path.write_text(json.dumps({**record, "stderr": None, "outputs": {}}), encoding="utf-8")
    stdout, _, path = run(project, *built)
    assert path == "full" and "up to date" in stdout
    assert run(project, *built)[2] == "stamp"   # stamped anew by the full check


def test_the_key_includes_the_home_folder(monkeypatch, tmp_path):
    """--content ~/zine is another folder for another user."""
    from zinepress import stamp

    args = Namespace(command="build", out=tmp_path, content="~/zine", region="US", format="card")
    monkeypatch.setenv("HOME", str(tmp_path / "a"))
    first = stamp.command_key(args)
    monkeypatch.setenv("HOME", str(tmp_path / "b"))
    assert stamp.command_key(args) != first
