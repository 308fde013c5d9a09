"""Incremental builds, as a user meets them: a second build with nothing changed writes nothing and says
so; a change to any input rebuilds what it affects (and only that); --force rebuilds; a damaged output is
rebuilt; and a rebuild starts auto-fit where it ended last time.

Inputs are changed in a copy of the project (program, content, layouts, fonts), never in the checkout;
every change is undone when its test ends, so the module's baseline builds stay current."""

import contextlib
import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTACTS, ROOT, copy_project, pdf_text, run_project, squash

EDITION = Path("unpacking-self-harm") / "US-en"
AUTOFIT_FORMATS = ("card", "minizine", "onepager", "poster")


# --- helpers ----------------------------------------------------------------------------------------------

def build(project: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_project(project, "build", "--out", str(out), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def stamps(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file in the edition folder (hidden ones too): inode, modification time and bytes. An output
    written again (staged and renamed into place) gets a new inode even when its bytes are the same."""
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.iterdir()) if path.is_file()}


def rewritten(before: dict, after: dict) -> set[str]:
    """Files that are new, or were written again, between two stamps."""
    return {name for name, stamp in after.items() if before.get(name, (None, None))[:2] != stamp[:2]}


def format_files(name: str) -> set[str]:
    return {f"{name}.pdf", f"{name}-pages.pdf"} if name in ("card", "minizine", "booklet") else {f"{name}.pdf"}


def records(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["build"]["formats"]


@contextlib.contextmanager
def edited(path: Path, change):
    """Change a text file for the duration of a test (change: old text -> new text), then put it back."""
    original = path.read_bytes()
    new = change(original.decode("utf-8"))
    assert new != original.decode("utf-8"), f"the edit did not change {path}"
    path.write_text(new, encoding="utf-8")
    try:
        yield path
    finally:
        path.write_bytes(original)


@contextlib.contextmanager
def added(path: Path, text: str):
    assert not path.exists()
    path.write_text(text, encoding="utf-8")
    try:
        yield path
    finally:
        path.unlink()


def replace_once(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def append(extra: str):
    return lambda text: text + extra


def a_day_earlier(text: str) -> str:
    """The first crisis line's `checked:` date, one day earlier."""
    match = re.search(r"checked: (\d{4}-\d\d-\d\d)", text)
    assert match, "no checked: date"
    day = dt.date.fromisoformat(match[1]) - dt.timedelta(days=1)
    return text[:match.start(1)] + day.isoformat() + text[match.end(1):]


# --- fixtures ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def baseline(project, tmp_path_factory) -> Path:
    """US-en card and minizine, built once from the unchanged copy."""
    out = tmp_path_factory.mktemp("baseline")
    build(project, out, "--format", "card,minizine")
    return out


@pytest.fixture(scope="module")
def all_formats(project, tmp_path_factory) -> Path:
    """US-en in every auto-fit format, built once from the unchanged copy."""
    out = tmp_path_factory.mktemp("all-formats")
    build(project, out, "--format", ",".join(AUTOFIT_FORMATS))
    return out


def fresh_copy(built: Path, target: Path) -> Path:
    """A copy of an earlier build's out folder (times kept) that a test may rebuild into."""
    shutil.copytree(built, target)
    return target


@pytest.fixture
def out(baseline, tmp_path) -> Path:
    return fresh_copy(baseline, tmp_path / "out")


# --- nothing changed --------------------------------------------------------------------------------------

def test_second_build_with_nothing_changed_writes_nothing(project, out):
    folder = out / EDITION
    before = stamps(folder)
    result = build(project, out, "--format", "card,minizine")
    assert "up to date" in result.stdout, result.stdout
    assert "wrote" not in result.stdout, result.stdout
    after = stamps(folder)
    assert after == before, rewritten(before, after) or set(after) ^ set(before)


def test_up_to_date_build_does_not_import_weasyprint(project, out):
    script = (
        "import sys\n"
        f"sys.argv = ['make_zine.py', 'build', '--out', {str(out)!r}, '--format', 'card']\n"
        f"sys.path.insert(0, {str(project)!r})\n"
        "import zinepress\n"
        f"assert zinepress.__file__.startswith({str(project)!r}), zinepress.__file__\n"
        "from zinepress.cli import main\n"
        "status = main()\n"
        "assert status == 0, status\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'weasyprint')\n"
        "assert not loaded, loaded\n"
        "print('weasyprint not imported')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout and "weasyprint not imported" in result.stdout, result.stdout


def test_force_rebuilds_with_nothing_changed_and_gives_the_same_bytes(project, out):
    folder = out / EDITION
    before = stamps(folder)
    result = build(project, out, "--format", "card,minizine", "--force")
    assert "up to date" not in result.stdout, result.stdout
    after = stamps(folder)
    assert rewritten(before, after) >= format_files("card") | format_files("minizine")
    pdfs = [name for name in before if name.endswith(".pdf")]
    assert pdfs and all(after[name][2] == before[name][2] for name in pdfs), "a forced rebuild changed bytes"


# --- a changed input rebuilds every format ----------------------------------------------------------------

CONTENT_TEXT = ("content/unpacking-self-harm/en.md", replace_once("Oftentimes, self-harm", "Often, self-harm"))
CHANGES = {
    "content text": CONTENT_TEXT,
    "crisis line checked date": ("content/crisis-lines/US.yaml", a_day_earlier),
    "crisis line hours": ("content/crisis-lines/US.yaml",
                          replace_once('hours: {en: 24/7, es: "24 horas, todos los días"}',
                                       'hours: {en: "24/7, every day", es: "24 horas, todos los días"}')),
    "English strings": ("content/strings/en.yaml", append("\n# a translator's note\n")),
    "fonts": ("fonts/fonts.css", append("\n/* a comment */\n")),
    "shared layout css": ("layouts/_shared/base.css", append("\n/* a comment */\n")),
    "shared layout template": ("layouts/_shared/parts.html.j2", append("\n{# a comment #}\n")),
    "zinepress source": ("zinepress/__init__.py", append("\n# a comment\n")),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_a_changed_input_rebuilds(project, out, what):
    """Each kind of input, changed: the card is rebuilt (one format is enough here; that such a change
    rebuilds every format is shown with the shared layout and the crisis lines below)."""
    relative, change = CHANGES[what]
    folder = out / EDITION
    before, recorded = stamps(folder), records(folder)
    with edited(project / relative, change):
        result = build(project, out, "--format", "card")
    assert "up to date" not in result.stdout, result.stdout
    assert rewritten(before, stamps(folder)) >= format_files("card") | {"manifest.json"}
    assert records(folder)["card"]["fingerprint"] != recorded["card"]["fingerprint"]


def test_a_new_file_beside_the_content_rebuilds(project, out):
    """Files beside the text (images a zine may use) are inputs too."""
    folder = out / EDITION
    before = stamps(folder)
    with added(project / "content/unpacking-self-harm/figure.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"):
        result = build(project, out, "--format", "card,minizine")
    assert "up to date" not in result.stdout, result.stdout
    assert rewritten(before, stamps(folder)) >= format_files("card") | format_files("minizine")


UNRELATED = {
    "another language's text": ("content/unpacking-self-harm/es.md", append("\nOtra línea.\n")),
    "another language's strings": ("content/strings/es.yaml", append("\n# nota\n")),
    "another region's lines": ("content/crisis-lines/GB.yaml", append("\n# a comment\n")),
    "a sub-region of this region": ("content/crisis-lines/US-CA.yaml", append("\n# a comment\n")),
    "a format not built": ("layouts/booklet/style.css", append("\n/* a comment */\n")),
}


@pytest.mark.parametrize("what", list(UNRELATED))
def test_a_change_to_something_the_edition_does_not_read_rebuilds_nothing(project, out, what):
    relative, change = UNRELATED[what]
    folder = out / EDITION
    before = stamps(folder)
    with edited(project / relative, change):
        result = build(project, out, "--format", "card,minizine")
    assert "up to date" in result.stdout, result.stdout
    assert stamps(folder) == before


def test_a_change_to_the_parent_region_rebuilds_the_sub_region(project, tmp_path):
    out = tmp_path / "out"
    build(project, out, "--format", "card", "--region", "US-CA")
    folder = out / "unpacking-self-harm" / "US-CA-en"
    before = stamps(folder)
    assert "up to date" in build(project, out, "--format", "card", "--region", "US-CA").stdout
    with edited(project / "content/crisis-lines/US.yaml", a_day_earlier):
        result = build(project, out, "--format", "card", "--region", "US-CA")
    assert "up to date" not in result.stdout, result.stdout
    assert rewritten(before, stamps(folder)) >= format_files("card")


def test_a_changed_contacts_file_rebuilds_with_the_new_text(project, tmp_path):
    out, contacts = tmp_path / "out", tmp_path / "our-lines.yaml"
    contacts.write_text(CONTACTS, encoding="utf-8")
    build(project, out, "--format", "card", "--contacts", str(contacts))
    [folder] = [path.parent for path in out.glob("*/*/manifest.json")]   # US-en-our-lines-<hash>
    assert folder.name.startswith("US-en-our-lines-")
    before = stamps(folder)
    assert "up to date" in build(project, out, "--format", "card", "--contacts", str(contacts)).stdout
    assert stamps(folder) == before
    contacts.write_text(CONTACTS.replace("Every day, 5pm-11pm", "Weekdays, 6pm-10pm"), encoding="utf-8")
    result = build(project, out, "--format", "card", "--contacts", str(contacts))
    assert "up to date" not in result.stdout, result.stdout
    assert rewritten(before, stamps(folder)) >= format_files("card")
    text = squash(pdf_text(folder / "card-pages.pdf"))
    assert squash("Weekdays, 6pm-10pm") in text and squash("Every day, 5pm-11pm") not in text


# --- a changed layout rebuilds only its format ------------------------------------------------------------

def test_a_changed_format_layout_rebuilds_only_that_format(project, out):
    folder = out / EDITION
    before, recorded = stamps(folder), records(folder)
    with edited(project / "layouts/card/style.css", append("\n/* a comment */\n")):
        result = build(project, out, "--format", "card,minizine")
    after = stamps(folder)
    assert rewritten(before, after) >= format_files("card")
    assert not rewritten(before, after) & format_files("minizine")
    assert all(after[name] == before[name] for name in format_files("minizine"))
    assert "up to date, not rebuilt: minizine" in result.stdout, result.stdout
    now = records(folder)
    assert now["minizine"] == recorded["minizine"]
    assert now["card"]["fingerprint"] != recorded["card"]["fingerprint"]


def test_shared_layout_change_rebuilds_every_format_and_then_all_are_current(project, out):
    folder = out / EDITION
    first = stamps(folder)
    with edited(project / "layouts/_shared/base.css", append("\n/* a comment */\n")):
        build(project, out, "--format", "card,minizine")
        before = stamps(folder)
        assert rewritten(first, before) >= format_files("card") | format_files("minizine")
        result = build(project, out, "--format", "card,minizine")
        assert "up to date" in result.stdout and stamps(folder) == before


# --- options ----------------------------------------------------------------------------------------------

def test_another_paper_builds_into_its_own_folder_and_leaves_the_first_as_it_was(project, out):
    folder = out / EDITION
    before = stamps(folder)
    result = build(project, out, "--format", "card", "--paper", "a4")
    assert "up to date" not in result.stdout, result.stdout
    other = folder.with_name(folder.name + "-a4")   # a folder never holds files of two builds
    data = json.loads((other / "manifest.json").read_text(encoding="utf-8"))
    assert data["paper"] == "a4" and (other / "card.pdf").is_file()
    assert stamps(folder) == before
    assert "up to date" in build(project, out, "--format", "card").stdout


def test_poster_without_tabs_is_rebuilt_then_current(project, all_formats, tmp_path):
    out = fresh_copy(all_formats, tmp_path / "out")
    folder = out / EDITION
    before = stamps(folder)
    result = build(project, out, "--format", "poster", "--no-tabs")
    assert "up to date" not in result.stdout, result.stdout
    after = stamps(folder)
    assert "poster.pdf" in rewritten(before, after)
    assert after["poster.pdf"][2] != before["poster.pdf"][2], "the poster without tabs is the same PDF"
    assert "up to date" in build(project, out, "--format", "poster", "--no-tabs").stdout
    assert stamps(folder) == after


def test_with_guide_rebuilds_the_minizine_with_its_guide(project, out):
    folder = out / EDITION
    assert not (folder / "minizine-guide.pdf").exists()
    before = stamps(folder)
    build(project, out, "--format", "card,minizine", "--with-guide")
    after = stamps(folder)
    assert "minizine-guide.pdf" in after and rewritten(before, after) >= format_files("minizine")


# --- damaged outputs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage, victim, rebuilt, kept", [("deleted", "minizine-pages.pdf", "minizine", "card"),
                                                            ("modified", "card.pdf", "card", "minizine")])
def test_a_damaged_output_rebuilds_its_format(project, out, damage, victim, rebuilt, kept):
    folder = out / EDITION
    original = stamps(folder)
    if damage == "deleted":
        (folder / victim).unlink()
    else:
        with open(folder / victim, "ab") as stream:
            stream.write(b"\n% scribbled on\n")
    before = stamps(folder)
    result = build(project, out, "--format", "card,minizine")
    after = stamps(folder)
    assert rewritten(before, after) >= format_files(rebuilt), result.stdout
    assert all(after[name] == before[name] for name in format_files(kept)), f"{kept} was rebuilt too"
    assert after[victim][2] == original[victim][2], "the rebuilt file differs from the first build's"
    assert f"up to date, not rebuilt: {kept}" in result.stdout, result.stdout


@pytest.mark.parametrize("damage", ["deleted", "garbled"])
def test_a_lost_manifest_rebuilds_everything(project, out, damage):
    folder = out / EDITION
    if damage == "deleted":
        (folder / "manifest.json").unlink()
    else:
        (folder / "manifest.json").write_text('{"files": [', encoding="utf-8")
    before = stamps(folder)
    result = build(project, out, "--format", "card,minizine")
    assert "up to date" not in result.stdout, result.stdout
    assert rewritten(before, stamps(folder)) >= format_files("card") | format_files("minizine") | {"manifest.json"}


# --- auto-fit starts where it ended -----------------------------------------------------------------------

def test_a_change_that_does_not_touch_the_layout_costs_two_passes_and_keeps_the_sizes(project, all_formats,
                                                                                      tmp_path):
    """One crisis line checked a day earlier: the handouts print the month of the oldest check (the same
    November) and the timestamps follow the newest, so every page comes out the same. Every format is
    rebuilt (its inputs changed); auto-fit, starting at last time's size, needs at most two passes: one at
    that size and one a step above."""
    out = fresh_copy(all_formats, tmp_path / "out")
    folder = out / EDITION
    cold, before = records(folder), stamps(folder)
    assert set(AUTOFIT_FORMATS) <= set(cold), cold
    with edited(project / "content/crisis-lines/US.yaml", a_day_earlier):
        build(project, out, "--format", ",".join(AUTOFIT_FORMATS))
    warm, after = records(folder), stamps(folder)
    for name in AUTOFIT_FORMATS:
        assert after[f"{name}.pdf"][2] == before[f"{name}.pdf"][2], f"precondition: {name} printed differently"
        assert warm[name]["fingerprint"] != cold[name]["fingerprint"], name
        assert warm[name]["layout_passes"] <= 2, (name, warm[name])
        assert (warm[name]["body_size"], warm[name]["compact"]) == (cold[name]["body_size"], cold[name]["compact"])


def test_a_one_line_text_change_costs_few_passes(project, all_formats, tmp_path):
    """One sentence of the full text reworded: a format whose size did not move costs at most two passes,
    one that moved k steps about 2·log2 k (held to 2·log2(k + 1) + 2)."""
    out = fresh_copy(all_formats, tmp_path / "out")
    folder = out / EDITION
    cold = records(folder)
    relative, change = CONTENT_TEXT
    with edited(project / relative, change):
        build(project, out, "--format", ",".join(AUTOFIT_FORMATS))
    warm = records(folder)
    for name in AUTOFIT_FORMATS:
        assert warm[name]["fingerprint"] != cold[name]["fingerprint"], name
        steps = abs(warm[name]["body_size"] - cold[name]["body_size"]) / 0.25
        if steps == 0 and warm[name]["compact"] == cold[name]["compact"]:
            assert warm[name]["layout_passes"] <= 2, (name, cold[name], warm[name])
        else:
            assert warm[name]["layout_passes"] <= 2 * math.log2(steps + 1) + 2, (name, cold[name], warm[name])


def test_a_print_variant_starts_from_the_sizes_of_the_edition_beside_it(project, all_formats, tmp_path):
    """--grayscale builds into US-en-grayscale beside US-en, the same pages in other colours: auto-fit
    starts from the sizes that fitted there, so the poster costs two passes instead of a cold search."""
    out = fresh_copy(all_formats, tmp_path / "out")
    plain = records(out / EDITION)
    assert plain["poster"]["layout_passes"] > 2, "precondition: the plain poster was a cold search"
    build(project, out, "--format", "poster", "--grayscale")
    gray = records(out / EDITION.parent / f"{EDITION.name}-grayscale")
    assert gray["poster"]["layout_passes"] == 2 and gray["poster"]["body_size"] == plain["poster"]["body_size"]


def test_strict_refuses_a_warned_file_even_when_it_is_up_to_date(tmp_path):
    """A booklet built with a warning (here: thicker than its format says folds well), then the same
    build with --strict: nothing needs rebuilding, and --strict still refuses it, as it would a new one."""
    project = copy_project(tmp_path / "project")
    layout = project / "layouts/booklet/format.yaml"
    layout.write_text(re.sub(r"warn_over: \d+", "warn_over: 4", layout.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    first = build(project, out, "--format", "booklet")
    assert "more than the 4" in first.stderr, first.stderr
    strict = run_project(project, "build", "--out", str(out), "--format", "booklet", "--strict")
    assert strict.returncode == 1 and "more than the 4" in strict.stderr, strict.stdout + strict.stderr


def test_a_booklet_rebuilt_after_its_lines_rewrap_is_the_booklet_a_fresh_build_makes(content_copy, tmp_path):
    """Lines that wrap a step above the smallest size but not at it: shortening them takes pages away at
    the smallest size only. The rebuild, which starts from last time's size, must still count the pages
    there: it gets the booklet a fresh build gets, byte for byte (a review found a shortcut that did not)."""
    text = (content_copy / "en.md").read_text(encoding="utf-8")
    front = text[:text.index("\n---", 3) + 4]

    def lines_ending_in(tail: str) -> None:
        line = " ".join(["word"] * 12) + " " + tail
        (content_copy / "en.md").write_text(f"{front}\n\n## A section\n\n" + "\n\n".join([line] * 175) + "\n",
                                            encoding="utf-8")

    args = ("--content", str(content_copy), "--region", "US", "--format", "booklet", "--jobs", "1")
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    lines_ending_in("xxxxxx")
    build(ROOT, rebuilt, *args)
    before = records(rebuilt / content_copy.name / "US-en")["booklet"]
    lines_ending_in("xxxxx")
    build(ROOT, rebuilt, *args)
    build(ROOT, fresh, *args)
    after, cold = (records(out / content_copy.name / "US-en")["booklet"] for out in (rebuilt, fresh))
    assert before["body_size"] != cold["body_size"], "precondition: the change moved the booklet's size"
    assert (after["body_size"], after["pad_pages"]) == (cold["body_size"], cold["pad_pages"])
    for name in ("booklet.pdf", "booklet-pages.pdf"):
        assert (rebuilt / content_copy.name / "US-en" / name).read_bytes() == \
            (fresh / content_copy.name / "US-en" / name).read_bytes(), name
