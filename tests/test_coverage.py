"""Every printed character has a glyph in a bundled font; one that has none is named with its line."""

import pytest

from conftest import build_here, fonts_of, pdf_text, run_cli

SENTENCE = "It is very common and everyone knows someone who has self-harmed."


def with_text(content_copy, addition: str) -> int:
    """Add `addition` after a known sentence of the copy's en.md body (the front matter's key points
    hold the same sentence); returns its line number."""
    path = content_copy / "en.md"
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(f"{front}\n---\n{body.replace(SENTENCE, f'{SENTENCE} {addition}', 1)}", encoding="utf-8")
    return front.count("\n") + 3 + body[: body.index(SENTENCE)].count("\n")


@pytest.mark.parametrize("addition, name", [("Stay safe \U0001F499", "blue heart"),
                                            ("\u05e9\u05dc\u05d5\u05dd", "hebrew letter shin")])
def test_a_character_no_bundled_font_has_is_named_with_its_line(content_copy, tmp_path, addition, name):
    line = with_text(content_copy, addition)
    result = run_cli("build", "--format", "booklet", "--content", str(content_copy), "--out", str(tmp_path))
    errors = [row for row in result.stderr.splitlines() if row.startswith("error:")]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(errors) == 1 and f"en.md:{line}" in errors[0] and name in errors[0], result.stderr
    assert not list(tmp_path.glob("*/*/*.pdf"))


def test_a_nested_list_uses_only_bundled_fonts(content_copy, tmp_path):
    path = content_copy / "en.md"
    text = path.read_text(encoding="utf-8")
    nested = "- A diminished pain perception in people who self-harm\n  - even when they are calm\n"
    assert "- A diminished pain perception in people who self-harm\n" in text
    path.write_text(text.replace("- A diminished pain perception in people who self-harm\n", nested, 1),
                    encoding="utf-8")
    folder = build_here(tmp_path, "--format", "booklet", "--content", str(content_copy))
    assert "even when they are calm" in pdf_text(folder / "booklet-pages.pdf")
    names = {name for name, _ in fonts_of(folder / "booklet-pages.pdf")}
    assert all("Atkinson" in name or "Noto" in name for name in names), names


def test_greek_cyrillic_and_arabic_are_covered_and_check_finds_what_is_not(content_copy):
    with_text(content_copy, "Ψυχή, душа, نفس.")
    assert run_cli("check", "--content", str(content_copy)).returncode == 0
    line = with_text(content_copy, "\u263a")
    result = run_cli("check", "--content", str(content_copy))
    assert result.returncode == 1 and f"en.md:{line}" in result.stderr and "white smiling face" in result.stderr


def test_a_word_too_long_to_break_is_named_with_its_line(content_copy, tmp_path):
    line = with_text(content_copy, "a" * 5000)   # no hyphenation point in it
    result = run_cli("build", "--format", "booklet", "--content", str(content_copy), "--out", str(tmp_path))
    error = result.stderr.splitlines()[-1]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert error.startswith(f"error: {content_copy / 'en.md'}:{line}:") or f"en.md:{line}:" in error, error
    assert "5000 letters: too long to break?" in error
    assert not list(tmp_path.glob("*/*/*.pdf"))
