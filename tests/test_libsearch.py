"""WeasyPrint's C libraries found as last time: a second process asks ctypes to search for none of them
and still lays out a page; answers are searched again when the loader's cache changes, and an import
that fails with kept answers is done again searching, as it would have been without them."""

import ctypes.util
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from zinepress import libsearch

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for WeasyPrint's loading: it asks for a library by name, and fails on a file that moved.
FAKE_PACKAGE = """
import ctypes.util
FOUND = ctypes.util.find_library("zinepress-test-library")
if FOUND == "moved.so.1":
    raise OSError("cannot load library 'moved.so.1'")
"""


@pytest.fixture(autouse=True)
def own_temporary_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """Importable as `fakeloader`; the search answers 'libtest.so.1', and counts how often it is asked."""
    (tmp_path / "pkg" / "fakeloader").mkdir(parents=True)
    (tmp_path / "pkg" / "fakeloader" / "__init__.py").write_text(FAKE_PACKAGE)
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    cache = tmp_path / "ld.so.cache"
    cache.write_text("first")
    monkeypatch.setattr(libsearch, "LOADER_CACHE", str(cache))
    searches = []
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: searches.append(name) or "libtest.so.1")
    yield searches
    sys.modules.pop("fakeloader", None)


def import_again() -> str:
    sys.modules.pop("fakeloader", None)
    libsearch.import_remembering("fakeloader")
    return sys.modules["fakeloader"].FOUND


def test_answers_are_searched_once_then_given_again(fake_package):
    assert import_again() == "libtest.so.1"
    assert import_again() == "libtest.so.1"
    assert fake_package == ["zinepress-test-library"]


def test_a_changed_loader_cache_searches_again(fake_package):
    import_again()
    Path(libsearch.LOADER_CACHE).write_text("a library was installed since")
    assert import_again() == "libtest.so.1"
    assert fake_package == ["zinepress-test-library"] * 2


def test_an_import_failing_with_kept_answers_searches_again_and_keeps_the_new_answers(fake_package):
    libsearch.keep(libsearch.PURPOSE, libsearch.loader_key(), {"zinepress-test-library": "moved.so.1"})
    assert import_again() == "libtest.so.1"
    assert import_again() == "libtest.so.1"
    assert fake_package == ["zinepress-test-library"]


def test_a_failure_with_nothing_kept_is_the_import_error_itself(fake_package, monkeypatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: "moved.so.1")
    with pytest.raises(OSError, match="moved.so.1"):
        import_again()


COUNTING = textwrap.dedent("""
    import ctypes.util, sys
    asked, search = [], ctypes.util.find_library
    ctypes.util.find_library = lambda name: asked.append(name) or search(name)
    from zinepress.weasy import HTML
    pdf = HTML(string="<p>Call 988</p>").write_pdf()
    print(len(asked), pdf[:5].decode())
""")


def test_weasyprint_searches_for_its_libraries_in_the_first_process_only(tmp_path):
    """Fails when WeasyPrint stops searching (libsearch.py is then no longer needed) or stops using
    ctypes' search (the kept answers would no longer be given)."""
    environment = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    runs = [subprocess.run([sys.executable, "-c", COUNTING], cwd=ROOT, env=environment, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert int(runs[0][0]) > 0 and runs[0][1] == "%PDF-"
    assert runs[1] == ["0", "%PDF-"]
