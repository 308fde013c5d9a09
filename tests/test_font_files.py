"""WeasyPrint's copies of the bundled fonts: removed when the process that made them ends, a batch
worker's included (every build used to leave 2.7 MB per worker in the temporary folder)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from zinepress.weasy import CSS, FontConfiguration, font_configuration, font_files_folder

LEFT_BEHIND = ("weasyprint-*", "zinepress-fonts-*")   # WeasyPrint's own name for the folder, and ours


def test_weasyprint_keeps_its_copies_of_the_fonts_where_zinepress_removes_them():
    """Pins the private attribute styles.py reads and sets: fails when WeasyPrint changes it."""
    fonts = FontConfiguration()
    assert font_files_folder(fonts) is None
    CSS(filename=str(ROOT / "fonts" / "fonts.css"), font_config=fonts)
    folder = font_files_folder(fonts)
    assert isinstance(folder, Path) and folder.name.startswith("weasyprint-")
    assert sum(path.stat().st_size for path in folder.iterdir()) > 2_000_000


def test_a_font_configuration_keeps_its_copies_where_it_is_told(tmp_path):
    fonts = font_configuration(tmp_path / "ours")
    (tmp_path / "ours").mkdir()
    CSS(filename=str(ROOT / "fonts" / "fonts.css"), font_config=fonts)
    assert font_files_folder(fonts) == tmp_path / "ours"
    assert sum(path.stat().st_size for path in (tmp_path / "ours").iterdir()) > 2_000_000
    del fonts
    import gc
    gc.collect()   # WeasyPrint removes the folder when the configuration is finalized
    assert not (tmp_path / "ours").exists()


def test_the_folder_of_a_worker_killed_mid_build_is_removed_by_the_next_build(tmp_path):
    """A worker killed when a build is stopped (Ctrl-C) cannot remove its copies: the next process that
    loads the fonts removes those of processes no longer running, and only those."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = temporary / f"zinepress-fonts-{ended.stdout.strip()}-abc"
    running = temporary / f"zinepress-fonts-{os.getpid()}-abc"
    for folder in (killed, running):
        folder.mkdir()
        (folder / "font").write_bytes(b"x")
    done = subprocess.run([sys.executable, str(ROOT / "make_zine.py"), "build", "--format", "card", "--jobs", "1",
                           "--out", str(tmp_path / "out"), "--quiet"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "TMPDIR": str(temporary)})
    assert done.returncode == 0, done.stderr
    assert not killed.exists() and (running / "font").exists()


def test_a_build_with_workers_leaves_no_copies_of_the_fonts(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    for jobs in ("2", "1"):
        done = subprocess.run([sys.executable, str(ROOT / "make_zine.py"), "build", "--format", "card,minizine",
                               "--jobs", jobs, "--out", str(tmp_path / f"out-{jobs}"), "--quiet"],
                              cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert list((tmp_path / f"out-{jobs}").glob("*/*/card.pdf"))
        assert not [path for pattern in LEFT_BEHIND for path in temporary.glob(pattern)], jobs


def test_the_bundled_fonts_are_read_as_they_are():
    """fonts.css names TrueType or OpenType files: WeasyPrint decodes a WOFF file with fontTools in
    every process that loads it (0.05 s for the eight Atkinson files, in each worker of every build),
    and stamps the decoded font with the build's date rather than the font's own."""
    css = (ROOT / "fonts" / "fonts.css").read_text()
    files = [ROOT / "fonts" / name for name in re.findall(r"url\(([^)]+)\)", css)]
    assert len(files) >= 14
    for path in files:
        assert path.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"), f"{path.name} is not sfnt"
