"""Shared helpers: build editions into temporary folders and read the PDFs as a reader would."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "unpacking-self-harm.txt"
CONTENT = ROOT / "content" / "unpacking-self-harm"
LETTER = (792.0, 612.0)          # landscape Letter sheet, points
A4 = (841.89, 595.28)            # landscape A4 sheet, points


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run make_zine.py as a user would, capturing its output."""
    return subprocess.run([sys.executable, str(ROOT / "make_zine.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def build_edition(out: Path, *args: str) -> Path:
    """Build into `out` and return the edition folder named in the manifest."""
    result = run_cli("build", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    manifests = list(out.glob("*/*/manifest.json"))
    assert len(manifests) == 1, manifests
    return manifests[0].parent


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Letters and digits only, lower case: survives line breaks, hyphenation and quote styles."""
    return re.sub(r"[\W_]+", "", text.lower())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def body_text(path: Path, footer: float = 0.55 * 72) -> str:
    """The text of every page without its footer band (page numbers), in reading order."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.crop((0, 0, page.width, page.height - footer)).extract_text() or ""
                         for page in pdf.pages)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-\n"))


def region_lines(code: str) -> list[dict]:
    """A region's crisis lines as its YAML file lists them, after those of the region it extends."""
    data = yaml.safe_load((ROOT / "content" / "crisis-lines" / f"{code}.yaml").read_text(encoding="utf-8"))
    return (region_lines(data["extends"]) if data.get("extends") else []) + (data.get("lines") or [])


def digits(number: object) -> str:
    value = number["number"] if isinstance(number, dict) else number
    return re.sub(r"\D", "", str(value))


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on every page, descending into Type0 fonts and into
    form XObjects (an imposed sheet draws each reading page as a form)."""
    found = []
    for page in PdfReader(path).pages:
        for font in resource_fonts(page.get("/Resources")):
            for leaf in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = leaf.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.append((str(leaf.get("/BaseFont")), embedded))
    return found


def resource_fonts(resources) -> list:
    resources = resources.get_object() if resources is not None else {}
    fonts = [font.get_object() for font in (resources.get("/Font") or {}).values()]
    for xobject in (resources.get("/XObject") or {}).values():
        form = xobject.get_object()
        if form.get("/Subtype") == "/Form":
            fonts += resource_fonts(form.get("/Resources"))
    return fonts


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the seed zine's content folder that a test may change."""
    target = tmp_path / "zine"
    shutil.copytree(CONTENT, target)
    return target


PROJECT_PARTS = ("make_zine.py", "zinepress", "content", "layouts", "fonts")


def copy_project(target: Path) -> Path:
    """A copy of the program and its data that a test may change: make_zine.py there imports the copy's
    zinepress, whose paths (content/, layouts/, fonts/) come from the package's own location."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / part)
    return target


def run_project(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a copied project's make_zine.py from inside the copy, capturing its output."""
    return subprocess.run([sys.executable, str(project / "make_zine.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=600)
