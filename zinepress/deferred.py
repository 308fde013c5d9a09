"""fontTools modules WeasyPrint imports but a build does not use, imported when first used instead.

WeasyPrint 70 imports `fontTools.subset` and `fontTools.varLib.instancer` as it starts (0.06 s of its
0.3 s, in every build's chain before any worker can start), for two cases the bundled fonts do not meet
where HarfBuzz's subsetter is 4.1 or newer (as on Debian 12): subsetting with fontTools instead, and
fixing a variable font's axes (the bundled fonts are static). `fontTools.subset` is given to it as a
module that loads on first use (importlib's LazyLoader), and loaded at once where WeasyPrint will subset
with it; of the instancer it takes one function by name, so it gets a stand-in that imports the real one
when called (any other name gets the real module at once), and the stand-in module is taken back out of
sys.modules once WeasyPrint is imported. tests/test_deferred.py checks each case."""

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LAZY_MODULES = ("fontTools.subset",)
# module -> the names WeasyPrint imports from it with `from module import name`
STAND_INS = {"fontTools.varLib.instancer": ("instantiateVariableFont",)}


def lazy_module(name: str) -> types.ModuleType:
    """`name`, to be loaded when one of its attributes is first read; set on its parent package too, so
    that `from parent import name` finds it there rather than asking the import system, which reads it."""
    spec = importlib.util.find_spec(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(importlib.import_module(parent), child, module)
    return module


def stand_in(module: str, name: str) -> Callable:
    """A function that imports `module` and calls its `name` when it is called."""
    def called(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)
    called.__name__ = called.__qualname__ = name
    return called


def stand_in_module(module: str, names: tuple[str, ...]) -> types.ModuleType:
    """A module giving a stand-in for each of `names`; asked for any other name (another WeasyPrint), it
    imports the real module in its place and gives that name from it: slower, never wrong."""
    placed = types.ModuleType(module)
    for name in names:
        setattr(placed, name, stand_in(module, name))

    def other(name: str):
        if name.startswith("__"):   # the import system's questions (`__path__`): a plain module, no package
            raise AttributeError(name)
        if sys.modules.get(module) is placed:
            del sys.modules[module]
        return getattr(importlib.import_module(module), name)

    placed.__getattr__ = other   # a module's own __getattr__ (PEP 562)
    return placed


def subsets_with_fonttools() -> bool:
    """Whether the WeasyPrint just imported subsets fonts with fontTools: HarfBuzz's subsetter missing, or
    older than 4.1 (its own test, in weasyprint.pdf.fonts)."""
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    harfbuzz, subsetter = getattr(fonts, "harfbuzz", None), getattr(fonts, "harfbuzz_subset", None)
    return not (subsetter and harfbuzz is not None and harfbuzz.hb_version_atleast(4, 1, 0))


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, importing WeasyPrint leaves those modules unloaded. Nothing is deferred that is
    already imported, or that this Python cannot find; and where WeasyPrint will subset with fontTools,
    the subsetter is loaded as WeasyPrint is imported, as before (importlib's lazy modules are not safe
    to load from two threads at once before Python 3.13: the web page's server builds in threads)."""
    lazy, placed = [], {}
    for name in LAZY_MODULES:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            lazy.append(lazy_module(name))
    for module, names in STAND_INS.items():
        if module not in sys.modules:
            sys.modules[module] = placed[module] = stand_in_module(module, names)
    try:
        yield
    finally:
        for module, stood in placed.items():   # a later `import` of it gets the real module
            if sys.modules.get(module) is stood:
                del sys.modules[module]
        if lazy and subsets_with_fonttools():
            for module in lazy:
                getattr(module, "Options", None)   # reading any name loads it
