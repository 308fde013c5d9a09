"""Toner use: Ghostscript's inkcov device measures the ink coverage of each page."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def ink_coverage(pdf: bytes) -> dict | None:
    """Mean coverage per page in percent of the page area, for C, M, Y, K; None without Ghostscript."""
    gs = shutil.which("gs")
    if gs is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", "-", "-sDEVICE=inkcov",
                                 str(path)], capture_output=True, text=True, timeout=300, check=True)
    pages = [[float(value) for value in line.split()[:4]] for line in result.stdout.splitlines()
             if line.strip().endswith("OK")]
    if not pages:
        return None
    means = [100 * sum(page[i] for page in pages) / len(pages) for i in range(4)]
    coverage = dict(zip("CMYK", (round(mean, 3) for mean in means)))
    coverage["total"] = round(sum(means), 3)
    return coverage
