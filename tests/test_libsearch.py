"""WeasyPrint's C libraries found as last time: a second process asks ctypes to search for none of them
and still lays out a page; answers are searched again when the loader's cache changes, and an import
that fails with kept answers is done again searching, as it would have been without them."""

import ast
import ctypes.util
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest

from zinepress import libsearch

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for WeasyPrint's loading: a package whose submodule asks for a library by name (and is
# imported whole), then fails on a file that moved (printing advice first, as WeasyPrint does) or on one
# whose functions do not match.
FAKE_PACKAGE = """
from . import ffi
FOUND = ffi.FOUND
if FOUND == "moved.so.1":
    print("could not import some external libraries")
    raise OSError("cannot load library 'moved.so.1'")
if FOUND == "other.so.1":
    raise AttributeError("function/symbol 'pango_version' not found in library 'other.so.1'")
"""
FAKE_FFI = """
import ast
import ctypes.util
FOUND = ctypes.util.find_library("zinepress-test-library")
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
    (tmp_path / "pkg" / "fakeloader" / "ffi.py").write_text(FAKE_FFI)
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    cache = tmp_path / "ld.so.cache"
    cache.write_text("first")
    monkeypatch.setattr(libsearch, "LOADER_CACHE", str(cache))
    searches = []
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: searches.append(name) or "libtest.so.1")
    yield searches
    libsearch.forget_partial_import("fakeloader")


def import_again() -> str:
    libsearch.forget_partial_import("fakeloader")
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


@pytest.mark.parametrize("kept_answer", ["moved.so.1", "other.so.1"])
def test_an_import_failing_with_kept_answers_searches_again_and_keeps_the_new_answers(fake_package, kept_answer,
                                                                                     capsys):
    libsearch.keep(libsearch.PURPOSE, libsearch.loader_key(), {"zinepress-test-library": kept_answer})
    assert import_again() == "libtest.so.1"
    assert "could not import" not in capsys.readouterr().out   # the advice is for a real search only
    assert import_again() == "libtest.so.1"
    assert fake_package == ["zinepress-test-library"]


def test_a_failure_with_nothing_kept_is_the_import_error_itself(fake_package, monkeypatch, capsys):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: "moved.so.1")
    with pytest.raises(OSError, match="moved.so.1"):
        import_again()
    assert "could not import some external libraries" in capsys.readouterr().out


def test_another_thread_searches_as_usual_while_the_import_runs(fake_package):
    answers: dict = {}
    found = []
    with libsearch.answering(answers, {"zinepress-test-library": "kept.so.1"}):
        thread = threading.Thread(target=lambda: found.append(ctypes.util.find_library("zinepress-test-library")))
        thread.start()
        thread.join()
        assert ctypes.util.find_library("zinepress-test-library") == "kept.so.1"
    assert found == ["libtest.so.1"] and answers == {"zinepress-test-library": "kept.so.1"}


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


def test_zinepress_imports_weasyprint_only_through_weasy_py():
    """Another module importing WeasyPrint first would load it searching for its libraries again. The
    weasy_*.py modules change it once it is loaded, and only weasy.py imports them."""
    direct, speedups = [], []
    for path in sorted((ROOT / "zinepress").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            direct += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "weasyprint"]
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported = [node.module] if node.module else [alias.name for alias in node.names]
                speedups += [path.name for name in imported if name.startswith("weasy_")]
    assert direct and all(line.split(":")[0] == "weasy.py" or line.startswith("weasy_") for line in direct), direct
    assert speedups and set(speedups) == {"weasy.py"}, speedups
