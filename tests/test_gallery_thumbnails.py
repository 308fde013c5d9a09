"""The gallery's thumbnails are drawn during the build, as each format's files pass their checks; a
format whose edition is then not written leaves none behind."""

import json
import re

from conftest import break_checking, run_here


def listed_thumbnails(out) -> set[str]:
    index = (out / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<img src="gallery/([0-9a-f]{64})\.png"', index))


def without_the_gallery_page(monkeypatch) -> list:
    """The gallery page left unwritten (it would draw any thumbnail missing): what is in out/gallery
    afterwards was drawn during the build. Returns the output folders it was asked to refresh."""
    from zinepress import commands

    asked = []
    monkeypatch.setattr(commands, "refresh_gallery", asked.append)
    return asked


def test_thumbnails_are_drawn_during_the_build(tmp_path, monkeypatch):
    asked = without_the_gallery_page(monkeypatch)
    out = tmp_path / "out"
    assert run_here("build", "--format", "card,minizine", "--jobs", "2", "--quiet", "--out", str(out)).returncode == 0
    manifest = json.loads((out / "unpacking-self-harm" / "US-en" / "manifest.json").read_text(encoding="utf-8"))
    shas = {entry["sha256"] for entry in manifest["files"] if entry["kind"] == "print"}
    assert asked == [out] and {path.stem for path in (out / "gallery").iterdir()} == shas


def test_each_print_file_has_its_thumbnail_named_by_its_sha256(tmp_path):
    out = tmp_path / "out"
    assert run_here("build", "--format", "card,minizine", "--jobs", "2", "--quiet", "--out", str(out)).returncode == 0
    manifest = json.loads((out / "unpacking-self-harm" / "US-en" / "manifest.json").read_text(encoding="utf-8"))
    shas = {entry["sha256"] for entry in manifest["files"] if entry["kind"] == "print"}
    assert len(shas) == 2 and listed_thumbnails(out) == shas
    assert {path.stem for path in (out / "gallery").iterdir()} == shas
    assert all(path.read_bytes()[:4] == b"\x89PNG" for path in (out / "gallery").iterdir())


def test_a_failed_edition_leaves_no_thumbnail_behind(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_here("build", "--region", "GB", "--format", "card", "--quiet", "--out", str(out)).returncode == 0
    before = {path.name for path in (out / "gallery").iterdir()}
    break_checking(monkeypatch, lambda built: built.format == "minizine")
    # The card passes its checks and its thumbnail is drawn; the minizine then fails the edition, which
    # is not written, and the gallery page is as it was: the card's thumbnail is pruned.
    asked = without_the_gallery_page(monkeypatch)
    result = run_here("build", "--format", "card,minizine", "--jobs", "2", "--quiet", "--out", str(out))
    assert result.returncode == 1 and "checking broke" in result.stderr
    assert not (out / "unpacking-self-harm" / "US-en").exists()
    drawn = {path.name for path in (out / "gallery").iterdir()} - before
    assert len(drawn) == 1   # the card's, drawn as it passed its checks
    monkeypatch.undo()
    from zinepress.commands import refresh_gallery

    refresh_gallery(*asked)   # as the build would have at its end
    assert {path.name for path in (out / "gallery").iterdir()} == before
