"""Toner use: Ghostscript's inkcov device measures the ink coverage of each page."""

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 20   # seconds: the largest booklet takes about two; a hung Ghostscript must not hold the build


def ink_coverage(pdf: bytes) -> tuple[dict | None, str | None]:
    """(mean coverage per page in percent of the page area for C, M, Y, K and their total, problem).

    Without Ghostscript both are None; when it fails or hangs, the coverage is None and the problem
    says why: toner use is then left out of the manifest with a warning, and the build goes on."""
    gs = shutil.which("gs")
    if gs is None:
        return None, None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(pdf)
        try:
            result = subprocess.run([gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", "-", "-sDEVICE=inkcov",
                                     str(path)], capture_output=True, text=True, timeout=TIMEOUT, check=True)
        except subprocess.TimeoutExpired:
            return None, f"Ghostscript took over {TIMEOUT} s"
        except (subprocess.CalledProcessError, OSError) as error:
            return None, f"Ghostscript failed ({error})"
    pages = [[float(value) for value in line.split()[:4]] for line in result.stdout.splitlines()
             if line.strip().endswith("OK")]
    if not pages:
        return None, "Ghostscript measured no page"
    means = [100 * sum(page[i] for page in pages) / len(pages) for i in range(4)]
    coverage = dict(zip("CMYK", (round(mean, 3) for mean in means)))
    coverage["total"] = round(sum(means), 3)
    return coverage, None
