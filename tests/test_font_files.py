"""WeasyPrint's copies of the bundled fonts: removed when the process that made them ends, a batch
worker's included (every build used to leave 2.7 MB per worker in the temporary folder)."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from zinepress.weasy import CSS, FontConfiguration, font_files_folder


def test_weasyprint_keeps_its_copies_of_the_fonts_where_zinepress_removes_them():
    """Pins the private attribute styles.remove_font_files reads: fails when WeasyPrint changes it."""
    fonts = FontConfiguration()
    assert font_files_folder(fonts) is None
    CSS(filename=str(ROOT / "fonts" / "fonts.css"), font_config=fonts)
    folder = font_files_folder(fonts)
    assert isinstance(folder, Path) and folder.name.startswith("weasyprint-")
    assert sum(path.stat().st_size for path in folder.iterdir()) > 2_000_000


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
        assert not list(temporary.glob("weasyprint-*")), (jobs, list(temporary.iterdir()))
