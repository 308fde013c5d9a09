"""fontTools modules WeasyPrint imports but a build does not use, imported when first used instead.

WeasyPrint 70 imports `fontTools.subset` and `fontTools.varLib.instancer` as it starts (0.06 s of its
0.3 s, in every build's chain before any worker can start), for two cases the bundled fonts never meet:
subsetting without HarfBuzz's subsetter (WeasyPrint subsets with HarfBuzz when it is 4.1 or newer) and
fixing a variable font's axes (the bundled fonts are static). `fontTools.subset` is given to it as a
module that loads on first use (importlib's LazyLoader); of the instancer it takes one function by
name, so it gets a stand-in that imports the real one when called, and the stand-in module is taken
back out of sys.modules once WeasyPrint is imported. tests/test_deferred.py checks both still work."""

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


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, importing WeasyPrint leaves those modules unloaded. Nothing is deferred that is
    already imported, or that this Python cannot find."""
    placed = []
    for name in LAZY_MODULES:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            lazy_module(name)
    for module, names in STAND_INS.items():
        if module not in sys.modules:
            sys.modules[module] = placed_module = types.ModuleType(module)
            for name in names:
                setattr(placed_module, name, stand_in(module, name))
            placed.append(module)
    try:
        yield
    finally:
        for module in placed:   # a later `import` of it gets the real module
            if sys.modules.get(module) is not None and not hasattr(sys.modules[module], "__file__"):
                del sys.modules[module]
