"""fontTools modules WeasyPrint imports but a build does not use, loaded only when used (deferred.py)."""

import subprocess
import sys

from conftest import ROOT

FRESH = "import sys, zinepress.weasy\n"


def fresh(code: str) -> str:
    """What `code` prints in a new Python that has imported zinepress.weasy (and so WeasyPrint)."""
    result = subprocess.run([sys.executable, "-c", FRESH + code], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_importing_weasyprint_leaves_them_unloaded():
    assert fresh("print('weasyprint.pdf.fonts' in sys.modules, 'fontTools.varLib' in sys.modules,\n"
                 "      'fontTools.ttLib.tables.otTables' in sys.modules, 'fontTools.varLib.instancer' in sys.modules)"
                 ) == ["True", "False", "False", "False"]


def test_a_build_does_not_load_them(tmp_path):
    """The mini zine, written in this process (--jobs 1): HarfBuzz subsets the static bundled fonts."""
    printed = fresh("from zinepress.cli import main\n"
                    f"main(['build', '--format', 'minizine', '--jobs', '1', '--quiet', '--out', {str(tmp_path)!r}])\n"
                    "print('fontTools.varLib' in sys.modules, 'fontTools.ttLib.tables.otTables' in sys.modules)")
    assert printed[-2:] == ["False", "False"]
    assert (tmp_path / "unpacking-self-harm" / "US-en" / "minizine.pdf").is_file()


def test_weasyprints_fonttools_subsetting_still_works_when_used():
    """WeasyPrint's fallback without HarfBuzz's subsetter: the module loads when first read."""
    assert fresh("import weasyprint.pdf.fonts as fonts\n"
                 "print(type(fonts.subset.Options()).__name__, 'fontTools.ttLib.tables.otTables' in sys.modules)"
                 ) == ["Options", "True"]


def test_the_variable_font_function_reaches_the_real_one():
    """A static font has no axes to fix: the real instancer says so, the stand-in only passes it on."""
    printed = fresh("from fontTools.ttLib import TTFont\n"
                    "import weasyprint.pdf.fonts as fonts\n"
                    "standing_in = fonts.instantiateVariableFont.__module__ == 'zinepress.deferred'\n"
                    "try:\n"
                    "    fonts.instantiateVariableFont(TTFont('fonts/noto/NotoSans-Regular.ttf'), {'wght': 400})\n"
                    "except Exception as error:\n"
                    "    print(standing_in, 'fvar' in str(error),\n"
                    "          sys.modules['fontTools.varLib.instancer'].__file__.endswith('__init__.py'))")
    assert printed == ["True", "True", "True"]
