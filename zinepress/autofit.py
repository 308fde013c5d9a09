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


def predicted_step(size: float, used_pages: float, page_limit: int, low: float, step: float) -> int:
    """The grid step a layout that took `used_pages` at `size` should fit `page_limit` pages at.

    Text area grows with the square of the body size, so the size scales with the square root of the
    page ratio; rounded down, so the first guess tends to fit and the search then climbs."""
    if used_pages <= 0:
        return 0
    predicted = size * math.sqrt(page_limit / used_pages)
    return max(0, math.floor((predicted - low) / step + 1e-9))
