"""The stamp: a build run again with nothing changed answers from its stamp, saying exactly what the full
up-to-date check says, without loading editions or WeasyPrint; any change to what it read or wrote, and
the build runs as usual.

Inputs are changed in a copy of the project, never in the checkout."""

import datetime as dt
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from conftest import CONTACTS, copy_project

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

    monkeypatch.setattr(stamp.dt, "date", Tomorrow)
    assert stamp.command_key(args) != today   # a line's check date can start a warning on a later day
