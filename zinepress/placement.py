"""Which crisis lines each format prints, in which order, and which go on the poster's tear-off tabs.

Pure functions of the lines and the format's capacity (`crisis_lines:` in its format.yaml), so `check`
predicts what a build prints without rendering. The primary line and the lines marked `show_on` a
format are always printed on it; the others fill the room left, local lines first."""

from dataclasses import dataclass

from .crisisline import CrisisLine
from .errors import ZineError

MAX_TAB_LINES = 3    # tabs cycle through at most three lines: more and no line has a useful number of tabs


@dataclass(frozen=True)
class Capacity:
    """How many lines a format holds (None: all), and above how many each is printed compactly
    (name and numbers, without audience, cost and notes)."""
    most: int | None = None
    compact_over: int | None = None
    primary_first: bool = False   # the card: the primary line leads, then the local lines


@dataclass(frozen=True)
class Placement:
    lines: tuple[CrisisLine, ...]      # printed, in order
    left_out: tuple[CrisisLine, ...]   # not printed for want of room
    compact: bool                      # each line printed as its name and numbers only
    required: tuple[CrisisLine, ...] = ()   # the primary line and those marked `show_on` this format


def print_order(lines: tuple[CrisisLine, ...], primary_first: bool = False) -> tuple[CrisisLine, ...]:
    """Local lines (a community's, a sub-region's) first, then the region's; the primary line leads
    when asked. The sort is stable: the files' order decides within each group."""
    return tuple(sorted(lines, key=lambda line: (not (primary_first and line.primary), not line.local)))


def place(lines: tuple[CrisisLine, ...], place_name: str, capacity: Capacity) -> Placement:
    """The lines a format prints: every required one (primary, `show_on`), then the rest in print
    order while there is room. Raises when the required lines alone do not fit."""
    ordered = print_order(lines, capacity.primary_first)
    required = [line for line in ordered if line.primary or place_name in line.show_on]
    if capacity.most is None:
        return Placement(ordered, (), compact_for(len(ordered), capacity), tuple(required))
    if len(required) > capacity.most:
        raise too_many(required, place_name, capacity.most)
    room = capacity.most - len(required)
    required_ids = set(map(id, required))
    optional = [line for line in ordered if id(line) not in required_ids]
    chosen = set(map(id, required + optional[:room]))
    shown = tuple(line for line in ordered if id(line) in chosen)
    return Placement(shown, tuple(optional[room:]), compact_for(len(shown), capacity), tuple(required))


def compact_for(count: int, capacity: Capacity) -> bool:
    return capacity.compact_over is not None and count > capacity.compact_over


def too_many(required: list[CrisisLine], place_name: str, most: int) -> ZineError:
    marked = [line for line in required if not line.primary]
    names = ", ".join(line.name for line in required)
    return ZineError(f"{marked[-1].where}: field 'show_on'" if marked else place_name,
                     f"{len(required)} lines must be printed on the {place_name} ({names}), which holds {most}",
                     f"remove {place_name} from the show_on of {len(required) - most} of them")


def tab_lines(lines: tuple[CrisisLine, ...]) -> tuple[CrisisLine, ...]:
    """The lines the tear-off tabs carry: those marked `show_on: [tabs]` (tabs cycle through them),
    else the first crisis line open 24/7 in print order (a warm line or a parents' line is not what a
    reader in crisis tears off), else the primary line."""
    ordered = print_order(lines)
    chosen = tuple(line for line in ordered if "tabs" in line.show_on)
    if len(chosen) > MAX_TAB_LINES:
        raise ZineError(f"{chosen[-1].where}: field 'show_on'",
                        f"{len(chosen)} lines are marked for the tabs ({', '.join(l.name for l in chosen)})",
                        f"mark at most {MAX_TAB_LINES}: the eight tabs cycle through them")
    if chosen:
        return chosen
    always_open = [line for line in ordered if line.open_all_hours and line.kind in (None, "crisis")]
    return (always_open or [line for line in ordered if line.primary] or list(ordered))[:1]


def tabs_cycle(lines: tuple[CrisisLine, ...], count: int = 8) -> list[CrisisLine]:
    """The line on each of `count` tabs, cycling through the chosen lines."""
    return [lines[index % len(lines)] for index in range(count)]


def left_out_report(place_name: str, placement: Placement, most: int | None) -> tuple[list[str], list[str]]:
    """(warnings, notes) on the lines a format leaves out: your own lines (a contacts file's, a
    sub-region's) left out are a warning; the region's, beyond what a small format holds, a note."""
    said: tuple[list[str], list[str]] = ([], [])
    for local, listing in ((True, said[0]), (False, said[1])):
        names = ", ".join(line.name for line in placement.left_out if line.local == local)
        if names:
            listing.append(f"{place_name}: not printed, the {place_name} holds {most} lines: {names}; "
                           f"to choose, mark lines show_on: [{place_name}]")
    return said
