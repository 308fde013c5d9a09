"""Auto-fit's search: the largest body size on a grid that fits, in as few layout passes as it can.

Pure: the search asks a `fits(step)` oracle (one layout pass per new step), so it is tested without
PDFs. Steps count grid points up from the format's smallest size: step 0 is `autofit.min`."""

import math
from collections.abc import Callable


def largest_fitting(fits: Callable[[int], bool], top: int, start: int | None = None) -> int | None:
    """The largest step in 0..top for which `fits(step)`, or None when not even step 0 fits.

    Assumes a smaller size fits whenever a larger one does. The search starts at `start` (the size that
    fit last time, or a prediction; default `top`), moves one step, then doubles its stride until it
    brackets the answer, then bisects: a good start costs two passes, a start k steps off about 2·log2 k.
    """
    known: dict[int, bool] = {}

    def test(step: int) -> bool:
        if step not in known:
            known[step] = fits(step)
        return known[step]

    guess = top if start is None else min(max(start, 0), top)
    if test(guess):
        low, high = gallop(test, guess, top, upward=True)
    else:
        low, high = gallop(test, guess, 0, upward=False)
        if low is None:
            return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if test(middle) else (low, middle)
    return low


def gallop(test: Callable[[int], bool], origin: int, limit: int, upward: bool) -> tuple[int | None, int]:
    """From `origin`, step toward `limit` by 1, 2, 4, ... until the answer is bracketed.

    Returns (low, high): `low` fits (None if nothing down to `limit` does) and `high` does not, or
    high = low + 1 when `low` is the grid's top."""
    stride, position = 1, origin
    while position != limit:
        probe = min(position + stride, limit) if upward else max(position - stride, limit)
        if test(probe) != upward:
            return (position, probe) if upward else (probe, position)
        position, stride = probe, stride * 2
    return (limit, limit + 1) if upward else (None, position)


def bracketed(fits: Callable[[int], bool], top: int, first: int, guess: Callable[[int, int], int],
              fitting: int = -1) -> int | None:
    """The largest step in 0..top for which `fits(step)`, or None when not even step 0 fits: for a
    search with no size that fit before. It asks `first` (the middle of the grid, where one answer halves
    it either way, or a first guess), then wherever `guess(low, high)` predicts within the bracket (`low` fits, `high`
    does not; -1 and top + 1 while unknown); a guess at or past an end of the bracket asks next to that
    end. After two passes in a row that did not halve the bracket the next asks its middle, so a bad
    guesser costs at most about 2·log2 of the grid (tests/test_autofit.py holds it to that, plus two, and
    one more when `first` is a guess).
    `fitting`: a step already known to fit (the booklet's smallest size), not asked again."""
    low, high = min(max(fitting, -1), top), top + 1
    if high - low <= 1:
        return low
    step = first if low < first < high else (low + high) // 2
    # Passes in a row that did not halve the bracket. A first step that is a guess rather than the middle
    # is not held against the guesser: it was not meant to halve anything (over eight editions' booklets,
    # whose first step is guessed from their count pass: 25 passes instead of 27).
    slow = 0 if step == (low + high) // 2 else -1
    while True:
        width = high - low
        low, high = (step, high) if fits(step) else (low, step)
        if high - low <= 1:
            return low if low >= 0 else None
        slow = 0 if 2 * (high - low) <= width else slow + 1
        # A guess at or past an end of the bracket says the answer is next to that end: look there.
        step = min(max(guess(low, high), low + 1), high - 1) if slow < 2 else (low + high) // 2


def interpolated_size(points: list[tuple[float, float]], target: float, growth: float = 2.0) -> float:
    """The body size at which a layout should take `target` pages, from (size, pages used) measured.

    Two points: pages used grow as a power of the size, fitted through them (text area grows with its
    square, but page breaks and fixed parts bend that). One point, or two that grow by a power of 0.3 or
    less (a block moved whole): the power `growth`, the format's (format.yaml `autofit.growth`; the square
    by default), through the point nearest the target."""
    (size, used), *rest = sorted(points)
    if rest and rest[-1][1] > used > 0:
        last_size, last_used = rest[-1]
        power = math.log(last_used / used) / math.log(last_size / size)
        if power > 0.3:   # flatter than that is a step in the measure (a block moved whole), not growth
            return size * (target / used) ** (1 / power)
    # the point whose pages are nearest the target (on a tie, the smaller size: the cautious guess)
    nearest_size, nearest_used = min(sorted(points), key=lambda point: abs(point[1] - target))
    return nearest_size * (target / nearest_used) ** (1 / growth) if nearest_used > 0 else size
