"""Import every module of the zinepress package: run where only its declared dependencies are installed,
so a run-time import missing from pyproject.toml fails CI instead of a user."""

import importlib
import pkgutil
import sys

import zinepress

names = [info.name for info in pkgutil.walk_packages(zinepress.__path__, "zinepress.")]
failed = []
for name in names:
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
if failed:
    sys.exit("CI: modules that need an undeclared package:\n  " + "\n  ".join(failed))
print(f"CI: all {len(names)} zinepress modules import with only the declared dependencies")
