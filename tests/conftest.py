"""Shared helpers: build editions into temporary folders and read the PDFs as a reader would."""

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "unpacking-self-harm.txt"
CONTENT = ROOT / "content" / "unpacking-self-harm"
LETTER = (792.0, 612.0)          # landscape Letter sheet, points
A4 = (841.89, 595.28)            # landscape A4 sheet, points


# A contacts file with one line of your own (a local warmline), for the tests that add one.
CONTACTS = """\
lines:
  - name: Riverside Peer Warmline
    call: "(503) 555-0142"
    hours: "Every day, 5pm-11pm"
    languages: [en]
    cost: free
    source: https://example.org/warmline
    checked: 2026-11-01
"""


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run make_zine.py as a user would, capturing its output."""
    return subprocess.run([sys.executable, str(ROOT / "make_zine.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def run_here(*args: str) -> subprocess.CompletedProcess:
    """The command line called in this process (zinepress.cli.main), for tests that only need the files a
    build writes: the same exit status and output as run_cli, without starting Python and loading WeasyPrint
    and the templates again (a second or more a build). A build runs in one process (--jobs 1 unless asked
    otherwise): no worker pool is forked from a test process. Tests of what a user sees in the terminal,
    and builds compared byte for byte with another, use run_cli."""
    from zinepress.cli import main

    argv = list(args) + (["--jobs", "1"] if args[:1] == ("build",) and "--jobs" not in args else [])
    stdout, stderr = io.StringIO(), io.StringIO()
    sigterm = signal.getsignal(signal.SIGTERM)           # main() sets its own
    try:
        with contextlib.chdir(ROOT), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                status = main(argv)
            except SystemExit as stop:                   # argparse's usage errors and --help
                status = stop.code if isinstance(stop.code, int) else 1
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    return subprocess.CompletedProcess(["make_zine.py", *argv], status, stdout.getvalue(), stderr.getvalue())


def edition_in(out: Path, result: subprocess.CompletedProcess) -> Path:
    """The one edition folder a successful build wrote under `out`."""
    assert result.returncode == 0, result.stderr
    manifests = list(out.glob("*/*/manifest.json"))
    assert len(manifests) == 1, manifests
    return manifests[0].parent


def build_edition(out: Path, *args: str) -> Path:
    """Build into `out` in a new process, as a user would, and return the edition folder."""
    return edition_in(out, run_cli("build", "--out", str(out), *args))


def build_here(out: Path, *args: str) -> Path:
    """Build into `out` in this process (run_here) and return the edition folder."""
    return edition_in(out, run_here("build", "--out", str(out), *args))


# --- builds shared by the whole test run ------------------------------------------------------------------
# Many modules read the same edition (the default US one, US on A4, US in Spanish...). Each is built once
# per run, by whichever xdist worker asks first (a lock file makes the others wait and reuse it), into the
# run's own temporary folder: every worker's basetemp is <run>/popen-gwN, so <run> is shared by them all.
# A shared build is READ-ONLY: a test that changes files copies it first (shared_copy), and the session
# checks at its end that no test changed one.

_shared_used: dict[Path, str] = {}

# The shared builds several modules read, spelled once here so that each is one build. With no arguments:
# the default edition (US, Letter) in every format.
ON_A4 = ("--paper", "a4")                                         # US on A4, every format
IN_SPANISH = ("--lang", "es", "--format", "card,minizine,poster")  # US in Spanish, the formats tests read
WITH_GUIDES = ("--with-guide", "--format", "booklet,minizine")
CARD_ONLY = ("--format", "card")


def shared_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-builds"
    root.mkdir(exist_ok=True)
    return root


def tree_digest(folder: Path) -> str:
    """Every file's path and bytes under `folder`."""
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def shared_build(tmp_path_factory, *args: str) -> tuple[Path, subprocess.CompletedProcess]:
    """`make_zine.py build *args`, run once for the whole test run (run_here, in the worker that asks first):
    its out folder (read-only) and its result (exit status, stdout, stderr). Spell the same build the same
    way to share it."""
    key = hashlib.sha256("\0".join(args).encode()).hexdigest()[:16]
    root = shared_root(tmp_path_factory)
    folder, record = root / key, root / f"{key}.json"
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # one worker builds; the others wait, then reuse it
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)
            result = run_here("build", "--out", str(folder / "out"), *args)
            record.write_text(json.dumps({"args": list(args), "returncode": result.returncode,
                                          "stdout": result.stdout, "stderr": result.stderr,
                                          "digest": tree_digest(folder)}), encoding="utf-8")
        data = json.loads(record.read_text(encoding="utf-8"))
    _shared_used[folder] = data["digest"]
    return folder / "out", subprocess.CompletedProcess(["build", *args], data["returncode"], data["stdout"],
                                                       data["stderr"])


def shared_out(tmp_path_factory, *args: str) -> Path:
    """The out folder of a shared build that must succeed (read-only)."""
    out, result = shared_build(tmp_path_factory, *args)
    assert result.returncode == 0, result.stderr
    return out


def shared_edition(tmp_path_factory, *args: str) -> Path:
    """The edition folder of a shared one-edition build (read-only), as build_edition returns it."""
    manifests = list(shared_out(tmp_path_factory, *args).glob("*/*/manifest.json"))
    assert len(manifests) == 1, manifests
    return manifests[0].parent


def shared_copy(tmp_path_factory, target: Path, *args: str) -> Path:
    """A copy of a shared build's out folder (file times kept) that a test may change."""
    shutil.copytree(shared_out(tmp_path_factory, *args), target)
    return target


@pytest.fixture(scope="session", autouse=True)
def shared_builds_stay_unchanged():
    """Fails the run's last test if any test changed a shared build instead of copying it."""
    yield
    changed = [str(folder) for folder, digest in _shared_used.items()
               if folder.exists() and tree_digest(folder) != digest]
    assert not changed, f"a test changed these shared builds (copy them with shared_copy): {changed}"


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


def pdfium_text(path: Path) -> str:
    """Every page's text as pypdfium2 (the web app's reader) extracts it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def one_page_pdf(content: bytes, **resources) -> bytes:
    """A 20 pt page drawing `content`; each resource (XObject=…) made by a function of the new PDF."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(20, 20))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(**{name: make(pdf) for name, make in resources.items()})
    page.obj.Contents = pdf.make_stream(content)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def drawn(pdf: bytes) -> list[tuple[str, list]]:
    """The first page's content as (operator, operands), names as text and numbers as floats."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(str(op.operator), [str(value) if isinstance(value, pikepdf.Name) else float(value)
                                    for value in op.operands])
                for op in pikepdf.parse_content_stream(document.pages[0])]


def break_checking(monkeypatch, broken: "Callable[[object], bool]") -> None:
    """checking.checked raising RuntimeError('checking broke') for the formats `broken(built)` picks (a bug
    while their files are checked), the others checked as they are."""
    from zinepress import checking

    real = checking.checked

    def checked(built, *args):
        if broken(built):
            raise RuntimeError("checking broke")
        return real(built, *args)

    monkeypatch.setattr(checking, "checked", checked)
