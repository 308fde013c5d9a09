"""Values kept between runs: computed once and loaded after, computed again when their files change or
the copy is damaged, and never an error when there is nowhere private to keep them."""

import os
import tempfile

import pytest

from zinepress import coverage
from zinepress.kept import files_key, kept
from zinepress.paths import private_folder


@pytest.fixture(autouse=True)
def own_temporary_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()


class Counting:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def is_list(value) -> bool:
    return isinstance(value, list)


def test_a_value_is_computed_once_and_loaded_after():
    compute = Counting([1, 2, 3])
    assert kept("test", "key", compute, is_list) == [1, 2, 3]
    assert kept("test", "key", compute, is_list) == [1, 2, 3]
    assert compute.calls == 1
    assert kept("test", "another key", compute, is_list) == [1, 2, 3]
    assert compute.calls == 2


def test_a_damaged_or_unusable_copy_is_computed_again_and_replaced():
    compute = Counting(["fresh"])
    kept("test", "key", compute, is_list)
    [copy] = private_folder("test").glob("*.pickle")
    copy.write_bytes(b"\x80\x05 damaged")
    assert kept("test", "key", compute, is_list) == ["fresh"]
    assert kept("test", "key", compute, lambda value: False) == ["fresh"]   # loaded, but not usable
    assert compute.calls == 3
    assert kept("test", "key", compute, is_list) == ["fresh"] and compute.calls == 3


def test_a_folder_others_can_read_is_not_used(tmp_path):
    shared = tmp_path / "tmp" / f"zinepress-test-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    compute = Counting([1])
    assert kept("test", "key", compute, is_list) == [1]
    assert kept("test", "key", compute, is_list) == [1]
    assert compute.calls == 2 and list(shared.iterdir()) == []


def test_the_key_changes_with_a_files_size_time_or_a_version(tmp_path):
    font = tmp_path / "font.ttf"
    font.write_bytes(b"one")
    first = files_key([font], "lib 1")
    assert files_key([font], "lib 1") == first
    assert files_key([font], "lib 2") != first
    os.utime(font, ns=(1, 1))
    touched = files_key([font], "lib 1")
    assert touched != first
    font.write_bytes(b"three")
    os.utime(font, ns=(1, 1))
    assert files_key([font], "lib 1") != touched


def test_the_kept_character_map_is_the_fonts_own(monkeypatch):
    coverage.bundled_characters.cache_clear()
    first = coverage.bundled_characters()       # read from the fonts, then kept
    coverage.bundled_characters.cache_clear()
    monkeypatch.setattr(coverage, "characters_of", lambda fonts: pytest.fail("read the fonts again"))
    assert coverage.bundled_characters() == first
    monkeypatch.undo()
    fonts = sorted(p for p in coverage.FONTS_DIR.rglob("*") if p.suffix.lower() in coverage.FONT_SUFFIXES)
    assert first == coverage.characters_of(fonts)
    assert ord("ß") in first and ord("ب") in first and ord("\u4e00") not in first
    coverage.bundled_characters.cache_clear()
