"""The gallery's thumbnails are drawn during the build, as each format's files pass their checks; a
format whose edition is then not written leaves none behind."""

import json
import re

from conftest import run_here


def listed_thumbnails(out) -> set[str]:
    index = (out / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<img src="gallery/([0-9a-f]{64})\.png"', index))


def test_each_print_file_has_its_thumbnail_named_by_its_sha256(tmp_path):
    out = tmp_path / "out"
    assert run_here("build", "--format", "card,minizine", "--jobs", "2", "--quiet", "--out", str(out)).returncode == 0
    manifest = json.loads((out / "unpacking-self-harm" / "US-en" / "manifest.json").read_text(encoding="utf-8"))
    shas = {entry["sha256"] for entry in manifest["files"] if entry["kind"] == "print"}
    assert len(shas) == 2 and listed_thumbnails(out) == shas
    assert {path.stem for path in (out / "gallery").iterdir()} == shas
    assert all(path.read_bytes()[:4] == b"\x89PNG" for path in (out / "gallery").iterdir())


def test_a_failed_edition_leaves_no_thumbnail_behind(tmp_path, monkeypatch):
    from zinepress import checking

    out = tmp_path / "out"
    assert run_here("build", "--region", "GB", "--format", "card", "--quiet", "--out", str(out)).returncode == 0
    before = {path.name for path in (out / "gallery").iterdir()}
    real = checking.checked

    def broken_for_the_minizine(built):
        if built.format == "minizine":
            raise RuntimeError("checking broke")
        return real(built)

    monkeypatch.setattr(checking, "checked", broken_for_the_minizine)
    # The card is checked first (the minizine's layout takes longer) and its thumbnail drawn; the
    # minizine then fails the edition, which is not written, and the gallery page is as it was.
    result = run_here("build", "--format", "card,minizine", "--jobs", "2", "--quiet", "--out", str(out))
    assert result.returncode == 1 and "checking broke" in result.stderr
    assert not (out / "unpacking-self-harm" / "US-en").exists()
    assert {path.name for path in (out / "gallery").iterdir()} == before
