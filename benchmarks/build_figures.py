#!/usr/bin/env python3
"""Print build figures for the default edition: time and layout passes per format, chosen body sizes,
and toner use (Ghostscript inkcov) of each print file in colour and in grayscale.

Run from the project root: python benchmarks/build_figures.py [--region US]"""

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zinepress.build import build_format  # noqa: E402
from zinepress.edition import Selection, build_edition  # noqa: E402
from zinepress.formats import format_names, load_format  # noqa: E402
from zinepress.layout import Layouter  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="US")
    args = parser.parse_args()
    edition = build_edition(Selection(region=args.region))
    print(f"{'format':9} {'mode':9} {'seconds':>7} {'passes':>6} {'body pt':>7} {'ink %':>7}")
    for mode in ("colour", "grayscale"):
        variant = replace(edition, options={"grayscale": mode == "grayscale"})
        for name in format_names():
            layouter = Layouter(variant)
            started = time.perf_counter()
            files = build_format(layouter, load_format(name))
            seconds = time.perf_counter() - started
            printed = next(f for f in files if f.kind == "print")
            ink = f"{printed.ink['total']:.1f}" if printed.ink else "-"
            size = f"{printed.body_size:g}" if printed.body_size else "-"
            print(f"{name:9} {mode:9} {seconds:7.2f} {layouter.passes:6d} {size:>7} {ink:>7}")


if __name__ == "__main__":
    main()
