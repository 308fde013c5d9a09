"""Translation metadata: a translated text says from what, by whom, and whether a native speaker reviewed
it; `check` and every build name the unreviewed ones, the manifest records them, and --require-reviewed
refuses them with one line, writing nothing."""

import re
from pathlib import Path

import pytest

from conftest import CONTENT, front_matter, manifest, run_cli

UNREVIEWED = "unreviewed translation"


def note_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("note:") and UNREVIEWED in line]


def one_error(result) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def set_translation(path: Path, block: str) -> None:
    """Replace the file's `translation:` mapping (or add one) with `block`."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^translation:\n(  .*\n)+", "", text, count=1, flags=re.M)
    path.write_text(text.replace("---\n", f"---\n{block}", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    """A Spanish card (Mexico), built once: its folder and the build's output."""
    out = tmp_path_factory.mktemp("es")
    result = run_cli("build", "--out", str(out), "--region", "MX", "--format", "card", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return next(out.glob("*/*/manifest.json")).parent, result


def test_the_translated_texts_say_they_are_translations():
    for language in ("es", "fr", "de", "pt"):
        for path in (CONTENT / f"{language}.md", CONTENT / "publisher" / f"{language}.md"):
            meta = front_matter(path)["translation"]
            assert meta["from"] == "en" and isinstance(meta["reviewed"], bool) and meta.get("by"), path
    assert "translation" not in front_matter(CONTENT / "en.md")        # the original


def test_check_names_each_unreviewed_translation():
    result = run_cli("check", "--lang", "es", "--format", "card")
    assert result.returncode == 0, result.stderr
    notes = note_lines(result.stderr)
    assert any("content/unpacking-self-harm/es.md" in line for line in notes), result.stderr
    assert any("content/unpacking-self-harm/publisher/es.md" in line for line in notes), result.stderr
    assert all("--require-reviewed" in line for line in notes)


def test_an_original_has_no_translation_note():
    result = run_cli("check", "--format", "card")
    assert result.returncode == 0 and not note_lines(result.stderr), result.stderr


def test_a_build_names_them_and_the_manifest_records_them(spanish):
    folder, result = spanish
    assert len(note_lines(result.stderr)) == 2, result.stderr
    listed = manifest(folder)
    text_meta = front_matter(CONTENT / "es.md")["translation"]
    assert listed["translation"] == {"from": "en", "reviewed": False, "by": text_meta["by"]}
    pages_meta = front_matter(CONTENT / "publisher" / "es.md")["translation"]
    assert listed["publisher_pages"]["translation"] == {"from": "en", "reviewed": False, "by": pages_meta["by"]}


def test_a_batch_build_names_them_per_edition(tmp_path):
    result = run_cli("build", "--out", str(tmp_path), "--region", "US,MX", "--format", "card", "--jobs", "1",
                     "--quiet")
    assert result.returncode == 0, result.stderr
    notes = note_lines(result.stderr)
    assert notes and all(line.startswith("note: MX-es: ") for line in notes), result.stderr


@pytest.mark.parametrize("command", ["build", "check"])
def test_require_reviewed_refuses_them_and_writes_nothing(command, tmp_path):
    out = tmp_path / "out"
    result = run_cli(command, "--lang", "es", "--format", "card", "--require-reviewed", *(
        ["--out", str(out), "--jobs", "1"] if command == "build" else []))
    line = one_error(result)
    assert "content/unpacking-self-harm/es.md: field 'translation'" in line and "reviewed" in line, line
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_require_reviewed_accepts_reviewed_translations_and_originals(content_copy):
    for path in (content_copy / "es.md", content_copy / "publisher" / "es.md"):
        set_translation(path, "translation:\n  from: en\n  reviewed: true\n  by: \"A native speaker\"\n")
    for language in ("es", "en"):
        result = run_cli("check", "--content", str(content_copy), "--lang", language, "--format", "card",
                         "--require-reviewed")
        assert result.returncode == 0 and not note_lines(result.stderr), result.stderr


def test_require_reviewed_refuses_unreviewed_publisher_pages_too(content_copy):
    set_translation(content_copy / "es.md", "translation:\n  from: en\n  reviewed: true\n")
    line = one_error(run_cli("check", "--content", str(content_copy), "--lang", "es", "--format", "card",
                             "--require-reviewed"))
    assert "publisher/es.md: field 'translation'" in line, line


BAD = {
    "not a mapping": ("translation: yes please\n", "field 'translation'"),
    "reviewed not a boolean": ("translation:\n  from: en\n  reviewed: \"no\"\n", "field 'translation.reviewed'"),
    "reviewed missing": ("translation:\n  from: en\n", "field 'translation.reviewed'"),
    "from missing": ("translation:\n  reviewed: false\n", "field 'translation.from'"),
    "from its own language": ("translation:\n  from: es\n  reviewed: false\n", "field 'translation.from'"),
    "from not a language code": ("translation:\n  from: English\n  reviewed: false\n", "field 'translation.from'"),
    "an unknown key": ("translation:\n  from: en\n  reviewed: false\n  reviwed_by: x\n",
                       "unknown key 'reviwed_by'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_translation_metadata_is_one_line_naming_the_field(content_copy, case):
    block, expected = BAD[case]
    set_translation(content_copy / "es.md", block)
    line = one_error(run_cli("check", "--content", str(content_copy), "--lang", "es", "--format", "card"))
    assert "es.md" in line and expected in line, line
