#!/usr/bin/env python3
"""How many layout passes a cold auto-fit search takes with each `autofit.growth` (format.yaml): a
maintainer runs it after changing a layout, to choose the power its first guesses use.

Every auto-fit format of every edition (every region, each of its languages) is searched once per growth
power, with Layouter's own code; a size laid out in one search is handed back to the next rather than
laid out again. It prints the mean passes per format and power, the format's own marked with *. About
a minute on the project's 2-core machine with --jobs 2.

Run from the project root: python benchmarks/growth.py [--region US,GB] [--format poster] [--jobs 2]"""

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zinepress.edition import Selection  # noqa: E402
from zinepress.formats import Format, format_names, load_format  # noqa: E402
from zinepress.selecting import editions  # noqa: E402

POWERS = (1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5)


def replaying_layouter(edition):
    """A Layouter that lays out each (format, setup) once and hands the same pages back when asked again,
    counting every request as the pass a real search would have made."""
    from zinepress.layout import Layouter

    class Replaying(Layouter):
        def __init__(self, edition) -> None:
            super().__init__(edition)
            self.laid: dict = {}

        def render(self, fmt: Format, setup, at_most: int | None = None):
            key = (fmt.name, setup)
            if key not in self.laid:
                self.laid[key] = Layouter.render(self, fmt, setup)   # which counts it
            else:
                self.passes += 1
            document = self.laid[key]
            return None if at_most is not None and len(document.pages) > at_most else document

    return Replaying(edition)


def cold_passes(layouter, fmt: Format) -> int | None:
    """Passes of a search with nothing remembered, as Layouter.search makes it (without its padding, the
    same whatever the power); None if nothing fits."""
    from zinepress.layout import TEXT_TRIES

    layouter.passes = 0
    for compact in TEXT_TRIES[fmt.text]:
        fitted, _ = layouter.fit(fmt, compact, None)
        if fitted:
            return layouter.passes
    return None


def edition_passes(selection: Selection, names: list[str]) -> dict[str, dict[float, int]]:
    """{format: {power: passes}} for one edition."""
    from zinepress.batch import Job, load_job

    layouter = replaying_layouter(load_job(Job(selection, {"tabs": True}, tuple(names))))
    found: dict[str, dict[float, int]] = {}
    for name in names:
        fmt = load_format(name)
        for power in POWERS:
            passes = cold_passes(layouter, replace(fmt, autofit=replace(fmt.autofit, growth=power)))
            if passes is not None:
                found.setdefault(name, {})[power] = passes
        layouter.laid.clear()   # many MB a layout
    print(f"  {selection.region}-{selection.language}", file=sys.stderr, flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default="all")
    parser.add_argument("--format", default="all")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    names = [name for name in (format_names() if args.format == "all" else args.format.split(","))
             if load_format(name).autofit is not None]
    selections = editions(Selection(), args.region, "all")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(edition_passes, selections, [names] * len(selections)))
    print(f"mean layout passes of a cold search on the default page size, {len(selections)} editions "
          "(an edition that fits no size on the grid is left out: 'of N')")
    print(f"{'format':9} " + " ".join(f"{power:>6g}" for power in POWERS) + "  of")
    for name in names:
        own = load_format(name).autofit.growth
        fitted = [result[name] for result in results if name in result]
        cells = [f"{sum(r[power] for r in fitted) / len(fitted):5.2f}{'*' if power == own else ' '}"
                 if fitted else "     -" for power in POWERS]
        print(f"{name:9} " + " ".join(cells) + f"  {len(fitted)}")


if __name__ == "__main__":
    main()
