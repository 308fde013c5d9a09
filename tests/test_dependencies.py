"""Every package zinepress imports at run time is declared in pyproject.toml, so `pip install .` alone
gives a working tool (a package that only arrives as another's dependency can vanish with it)."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")   # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent


def imported_top_level_modules() -> set[str]:
    names = set()
    for path in (ROOT / "zinepress").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"zinepress"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalized(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in project["dependencies"]}


def test_every_imported_package_is_a_declared_dependency():
    distributions = packages_distributions()
    missing = {}
    for module in sorted(imported_top_level_modules()):
        provided_by = {normalized(name) for name in distributions.get(module, [module])}
        if not provided_by & declared():
            missing[module] = sorted(provided_by)
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_the_check_sees_the_imports():
    modules = imported_top_level_modules()
    assert {"weasyprint", "pypdfium2", "pikepdf", "yaml"} <= modules
    assert "json" not in modules


# Declared, yet no part of what a build's files say: the web page's server.
NOT_RENDERING = {"flask", "werkzeug"}


def test_every_declared_library_that_shapes_a_build_is_in_its_fingerprint():
    """A new version of any of them (phonenumbers' formats, Babel's dates, WeasyPrint's layout) must
    rebuild: so each is named in the fingerprint, and its version is read from its dist-info folder."""
    from zinepress.fingerprint import RENDERING_LIBRARIES, library_version

    named = {normalized(name) for name in RENDERING_LIBRARIES.values()}
    assert declared() - NOT_RENDERING <= named, declared() - NOT_RENDERING - named
    for module, name in RENDERING_LIBRARIES.items():
        assert library_version(module, name).endswith(".dist-info"), f"{module}: version not found"
