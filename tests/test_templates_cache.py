"""Compiled templates kept between runs (html.CompiledTemplates): the same HTML, and never an error."""

import jinja2
import pytest
from jinja2 import Environment, FileSystemLoader
from jinja2.bccache import bc_magic

from zinepress.html import CompiledTemplates, compiled_templates, environment_for
from zinepress.paths import LAYOUTS_DIR

TEMPLATE = "{% for n in numbers %}<b>{{ n }}</b>{% endfor %}"


def environment(folder, cache) -> Environment:
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache)


def test_the_layouts_templates_are_compiled_once_and_kept():
    if compiled_templates() is None:
        pytest.skip("no private temporary folder here: templates are compiled in every process")
    kept = environment_for(LAYOUTS_DIR / "card").bytecode_cache
    assert isinstance(kept, CompiledTemplates) and kept.pattern == compiled_templates().pattern


def test_the_kept_files_are_named_by_what_compiled_them(monkeypatch):
    """Jinja checks a template's source, not the environment or Jinja that compiled it: after zinepress
    or Jinja changes, the templates are compiled again rather than taken from the old files."""
    compiled_templates.cache_clear()
    try:
        now = compiled_templates()
        if now is None:
            pytest.skip("no private temporary folder here")
        compiled_templates.cache_clear()
        monkeypatch.setattr(jinja2, "__version__", "0.0-another")
        assert compiled_templates().pattern != now.pattern
        compiled_templates.cache_clear()
        monkeypatch.undo()
        assert compiled_templates().pattern == now.pattern
    finally:
        compiled_templates.cache_clear()


def test_a_template_loaded_from_the_cache_renders_as_compiled(tmp_path):
    (tmp_path / "t.j2").write_text(TEMPLATE)
    cache = CompiledTemplates(str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    first = environment(tmp_path, cache).get_template("t.j2").render(numbers=[1, 2])
    assert len(list((tmp_path / "cache").iterdir())) == 1
    assert environment(tmp_path, cache).get_template("t.j2").render(numbers=[1, 2]) == first == "<b>1</b><b>2</b>"


def test_an_edited_template_is_compiled_again(tmp_path):
    (tmp_path / "t.j2").write_text(TEMPLATE)
    (tmp_path / "cache").mkdir()
    cache = CompiledTemplates(str(tmp_path / "cache"))
    environment(tmp_path, cache).get_template("t.j2")
    (tmp_path / "t.j2").write_text(TEMPLATE.replace("<b>", "<i>").replace("</b>", "</i>"))
    assert environment(tmp_path, cache).get_template("t.j2").render(numbers=[3]) == "<i>3</i>"


def test_a_damaged_cache_file_is_passed_over(tmp_path):
    (tmp_path / "t.j2").write_text(TEMPLATE)
    (tmp_path / "cache").mkdir()
    cache = CompiledTemplates(str(tmp_path / "cache"))
    environment(tmp_path, cache).get_template("t.j2")
    for kept in (tmp_path / "cache").iterdir():
        kept.write_bytes(bc_magic + b"\x80\x05garbage")   # the right magic, then no valid pickle
    assert environment(tmp_path, cache).get_template("t.j2").render(numbers=[4]) == "<b>4</b>"


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path):
    (tmp_path / "t.j2").write_text(TEMPLATE)
    cache = CompiledTemplates(str(tmp_path / "missing" / "folder"))
    assert environment(tmp_path, cache).get_template("t.j2").render(numbers=[5]) == "<b>5</b>"
