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


def growth_line(layouts) -> str:
    """The poster's own `growth:` line, whatever power it is tuned to."""
    text = (layouts / "poster" / "format.yaml").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.strip().startswith("growth:"))


def failure(layouts) -> str:
    with pytest.raises(ZineError) as raised:
        load_format("poster")
    return raised.value.line()


def test_growth_is_read_and_every_size_inherits_it(layouts):
    edit(layouts, growth_line(layouts), "  growth: 1.7")
    poster = load_format("poster")
    assert poster.autofit.growth == 1.7
    assert {sized(poster, "letter", size).autofit.growth for size in poster.sizes} == {1.7}


def test_a_size_may_give_its_own_growth(layouts):
    edit(layouts, "    autofit: {min: 10, max: 16}    # numbers 2.9rem", "    autofit: {min: 10, max: 16, growth: 1.3}    #")
    poster = load_format("poster")
    assert sized(poster, "letter", "tabloid").autofit.growth == 1.3
    assert sized(poster, "letter", "a3").autofit.growth == poster.autofit.growth


@pytest.mark.parametrize("line", ["", "  growth:"])
def test_growth_left_out_is_the_square(layouts, line):
    edit(layouts, growth_line(layouts), line)
    assert load_format("poster").autofit.growth == 2.0


@pytest.mark.parametrize("value, problem", [("0.1", "out of range"), ("9", "out of range"), (".nan", "out of range"),
                                            ("fast", "not a number"), ("true", "not a number")])
def test_a_bad_growth_names_its_file_and_field(layouts, value, problem):
    edit(layouts, growth_line(layouts), f"  growth: {value}")
    line = failure(layouts)
    assert "poster/format.yaml: field 'autofit.growth'" in line and problem in line, line


def test_a_bad_growth_under_a_size_names_its_path(layouts):
    edit(layouts, "    autofit: {min: 10, max: 16}    # numbers 2.9rem", "    autofit: {min: 10, max: 16, growth: 0}    #")
    line = failure(layouts)
    assert "field 'sizes.tabloid.autofit.growth'" in line and "out of range" in line, line


@pytest.mark.parametrize("old, new, field", [("  min: 8\n", "  min: eight\n", "autofit.min"),
                                             ("body_size: 16", "body_size: big", "body_size"),
                                             ("min_text_size: 8", "min_text_size: [8]", "min_text_size")])
def test_a_size_that_is_not_a_number_names_its_field(layouts, old, new, field):
    edit(layouts, old, new)
    line = failure(layouts)
    assert f"field '{field}'" in line and "not a number" in line, line
