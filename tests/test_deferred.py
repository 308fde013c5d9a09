"""fontTools modules WeasyPrint imports but a build does not use, loaded only when used (deferred.py)."""

import subprocess
import sys

import pytest

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
    printed = fresh("from zinepress.deferred import subsets_with_fonttools\n"
                    "from zinepress.cli import main\n"
                    f"main(['build', '--format', 'minizine', '--jobs', '1', '--quiet', '--out', {str(tmp_path)!r}])\n"
                    "print(subsets_with_fonttools(), 'fontTools.varLib' in sys.modules,\n"
                    "      'fontTools.ttLib.tables.otTables' in sys.modules)")
    if printed[-3] == "True":
        pytest.skip("this system's HarfBuzz has no subsetter of 4.1 or newer: WeasyPrint subsets with fontTools")
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


def test_a_name_not_stood_in_for_comes_from_the_real_module():
    """Another WeasyPrint asking the instancer for another name gets the real thing, not an ImportError."""
    printed = fresh("from zinepress.deferred import deferred\n"
                    "with deferred():\n"
                    "    from fontTools.varLib.instancer import OverlapMode, instantiateVariableFont\n"
                    "print(OverlapMode.__module__, sys.modules['fontTools.varLib.instancer'].__file__.endswith('.py'))")
    assert printed == ["fontTools.varLib.instancer", "True"]


def test_where_weasyprint_subsets_with_fonttools_the_subsetter_is_loaded_with_it():
    """No HarfBuzz subsetter (or one older than 4.1): fontTools.subset is loaded as WeasyPrint is imported,
    not first in whichever thread writes a PDF first."""
    code = ("import types\n"
            "from zinepress.deferred import deferred\n"
            "class Harfbuzz:\n"
            "    def hb_version_atleast(self, *version):\n"
            "        return {new}\n"
            "with deferred():   # stands in for importing WeasyPrint\n"
            "    fonts = sys.modules['weasyprint.pdf.fonts'] = types.ModuleType('weasyprint.pdf.fonts')\n"
            "    fonts.harfbuzz, fonts.harfbuzz_subset = Harfbuzz(), {subsetter}\n"
            "print('fontTools.ttLib.tables.otTables' in sys.modules)")
    script = "import sys\n" + code
    for subsetter, new, loaded in (("object()", "True", "False"), ("None", "True", "True"),
                                   ("object()", "False", "True")):
        result = subprocess.run([sys.executable, "-c", script.format(subsetter=subsetter, new=new)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.stdout.split() == [loaded], result.stderr
