"""format.yaml's auto-fit fields, read and checked once at load: errors name the file and the field."""

import shutil

import pytest

from zinepress import formats
from zinepress.errors import ZineError
from zinepress.formats import load_format, sized


@pytest.fixture
def layouts(tmp_path, monkeypatch):
    """A copy of the poster's layout folder that a test may edit, read from a layouts/ of its own."""
    shutil.copytree(formats.LAYOUTS_DIR / "poster", tmp_path / "poster")
    monkeypatch.setattr(formats, "LAYOUTS_DIR", tmp_path)
    return tmp_path


def edit(layouts, old: str, new: str) -> None:
    path = layouts / "poster" / "format.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_growth_is_read_and_the_square_by_default():
    assert load_format("poster").autofit.growth == 1.2
    assert load_format("booklet").autofit.growth == 1.5
    assert load_format("card").autofit.growth == 2.0


def test_a_chosen_poster_size_keeps_the_formats_growth():
    assert sized(load_format("poster"), "letter", "tabloid").autofit.growth == 1.2


@pytest.mark.parametrize("value, problem", [("0.1", "out of range"), ("9", "out of range"),
                                            ("fast", "not a number"), ("true", "not a number")])
def test_a_bad_growth_names_its_file_and_field(layouts, value, problem):
    edit(layouts, "growth: 1.2", f"growth: {value}")
    with pytest.raises(ZineError) as raised:
        load_format("poster")
    line = raised.value.line()
    assert "poster/format.yaml: field 'autofit.growth'" in line and problem in line


def test_a_size_that_is_not_a_number_names_its_field(layouts):
    edit(layouts, "  min: 8\n", "  min: eight\n")
    with pytest.raises(ZineError) as raised:
        load_format("poster")
    assert "field 'autofit.min'" in raised.value.line() and "not a number" in raised.value.line()
