"""Auto-fit's search on its own, without PDFs: for every monotone "does step s fit?" oracle and every
starting point, `largest_fitting` must agree with a plain scan of the grid, never pay twice for a step,
and stay cheap when it starts at (or near) the answer."""

import math

import pytest

from zinepress.autofit import gallop, largest_fitting, predicted_step

# Grid sizes worth covering: tiny grids, powers of two and their neighbours, and the formats' own
# (card (9-7)/0.25 = 8, onepager (11-8)/0.25 = 12, minizine and poster 16).
TOPS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33]


class Oracle:
    """fits(step) for steps 0..threshold (threshold -1: nothing fits); remembers every question."""

    def __init__(self, threshold: int, top: int) -> None:
        self.threshold, self.top = threshold, top
        self.calls: list[int] = []

    def __call__(self, step: int) -> bool:
        self.calls.append(step)
        return step <= self.threshold

    def answer(self, step: int) -> bool:   # without counting
        return step <= self.threshold


def scan(oracle: Oracle, top: int) -> int | None:
    """The reference: ask every step, keep the largest that fits."""
    fitting = [step for step in range(top + 1) if oracle.answer(step)]
    return fitting[-1] if fitting else None


def starts(top: int) -> list[int | None]:
    """No start, every step on the grid, and starts below and above the grid."""
    return [None, -7, -1, *range(top + 1), top + 1, top + 10]


@pytest.mark.parametrize("top", TOPS)
def test_agrees_with_an_exhaustive_scan_for_every_threshold_and_start(top):
    for threshold in range(-1, top + 1):       # -1: nothing fits; top: everything fits
        for start in starts(top):
            oracle = Oracle(threshold, top)
            found = largest_fitting(oracle, top, start)
            case = f"top={top} threshold={threshold} start={start} calls={oracle.calls}"
            assert found == scan(oracle, top), case
            assert len(oracle.calls) == len(set(oracle.calls)), f"a step was laid out twice: {case}"
            assert all(0 <= step <= top for step in oracle.calls), f"asked about a step off the grid: {case}"


@pytest.mark.parametrize("top", TOPS)
def test_the_answer_is_proven_by_the_oracle_itself(top):
    """The search may only claim step r when it saw r fit and r + 1 fail (or r is the top), and may only
    say "nothing fits" after seeing step 0 fail."""
    for threshold in range(-1, top + 1):
        for start in starts(top):
            oracle = Oracle(threshold, top)
            found = largest_fitting(oracle, top, start)
            asked = set(oracle.calls)
            if found is None:
                assert 0 in asked, (top, threshold, start, oracle.calls)
            else:
                assert found in asked and (found == top or found + 1 in asked), (top, threshold, start, oracle.calls)


@pytest.mark.parametrize("top", TOPS)
def test_starting_at_the_answer_costs_at_most_two_passes(top):
    for threshold in range(0, top + 1):
        oracle = Oracle(threshold, top)
        assert largest_fitting(oracle, top, threshold) == threshold
        assert len(oracle.calls) <= 2, (top, threshold, oracle.calls)


def test_when_the_largest_size_fits_one_pass_is_enough():
    for top in TOPS:
        oracle = Oracle(top, top)
        assert largest_fitting(oracle, top) == top and oracle.calls == [top]
        oracle = Oracle(top, top)
        assert largest_fitting(oracle, top, top + 5) == top and oracle.calls == [top]


@pytest.mark.parametrize("top", TOPS)
def test_nothing_fits_gives_none(top):
    for start in starts(top):
        oracle = Oracle(-1, top)
        assert largest_fitting(oracle, top, start) is None, (top, start, oracle.calls)


def test_cost_grows_with_the_log_of_how_far_off_the_start_is():
    """A start k steps from the answer costs about 2·log2 k passes (the docstring's promise), here held to
    2·log2(k + 1) + 2, on either side of the answer."""
    top = 64
    for threshold in range(0, top + 1):
        for start in range(0, top + 1):
            oracle = Oracle(threshold, top)
            assert largest_fitting(oracle, top, start) == threshold
            k = abs(start - threshold)
            assert len(oracle.calls) <= 2 * math.log2(k + 1) + 2, (threshold, start, oracle.calls)


def test_a_cold_search_beats_a_scan():
    top = 64
    worst = 0
    for threshold in range(-1, top + 1):
        oracle = Oracle(threshold, top)
        largest_fitting(oracle, top)
        worst = max(worst, len(oracle.calls))
    assert worst <= 2 * math.log2(top + 1) + 2 < top


# --- gallop: bracketing from the start ---------------------------------------------------------------

def test_gallop_from_the_top_upward_asks_nothing():
    oracle = Oracle(5, 5)
    assert gallop(oracle, 5, 5, upward=True) == (5, 6) and oracle.calls == []


def test_gallop_from_zero_downward_asks_nothing_and_finds_nothing():
    oracle = Oracle(-1, 5)
    low, high = gallop(oracle, 0, 0, upward=False)
    assert low is None and high == 0 and oracle.calls == []


def test_gallop_upward_stops_at_the_limit_when_everything_fits():
    oracle = Oracle(100, 100)
    assert gallop(oracle, 0, 5, upward=True) == (5, 6)
    assert oracle.calls and max(oracle.calls) == 5 and all(0 < step <= 5 for step in oracle.calls)


def test_gallop_downward_stops_at_zero_when_nothing_fits():
    oracle = Oracle(-1, 20)
    low, high = gallop(oracle, 20, 0, upward=False)
    assert low is None and 0 in oracle.calls and min(oracle.calls) == 0
    assert all(0 <= step < 20 for step in oracle.calls)


@pytest.mark.parametrize("top", TOPS)
def test_gallop_brackets_the_answer_from_every_origin(top):
    """Upward from a size that fits, or downward from one that does not: the answer t lies in [low, high),
    low fits (when there is one), high does not (or is just past the top), and no probe leaves the grid."""
    for threshold in range(-1, top + 1):
        for origin in range(top + 1):
            oracle = Oracle(threshold, top)
            upward = oracle.answer(origin)
            low, high = gallop(oracle, origin, top if upward else 0, upward)
            case = (top, threshold, origin, upward, low, high, oracle.calls)
            assert all(0 <= step <= top for step in oracle.calls), case
            assert len(oracle.calls) == len(set(oracle.calls)), case
            if threshold == -1:
                assert low is None and not upward, case
                continue
            assert low is not None and oracle.answer(low) and low <= threshold < high, case
            assert high == top + 1 or not oracle.answer(high), case
            assert (origin <= low) if upward else (high <= origin), case


# --- predicted_step: the first guess from how far a layout overflowed ----------------------------------

LOW, STEP = 7.0, 0.25


@pytest.mark.parametrize("limit", [1, 2, 8])
def test_prediction_when_the_pages_used_equal_the_limit_is_the_same_size(limit):
    for step in range(0, 17):
        size = LOW + step * STEP
        assert predicted_step(size, limit, limit, LOW, STEP) == step, size


def test_more_pages_used_predicts_a_smaller_step():
    size, limit = 11.0, 8
    same = predicted_step(size, limit, limit, LOW, STEP)
    previous = same
    for used in [8.5, 9, 10, 12, 16, 24]:
        step = predicted_step(size, used, limit, LOW, STEP)
        assert step < same and step <= previous, (used, step)
        previous = step


def test_fewer_pages_used_never_predicts_a_smaller_step():
    size, limit = 9.0, 8
    same = predicted_step(size, limit, limit, LOW, STEP)
    assert all(predicted_step(size, used, limit, LOW, STEP) >= same for used in [7.9, 6, 4, 1])


def test_prediction_follows_the_area_of_the_text():
    """Text area grows with the square of the size: four times the pages at 16 pt fit at 8 pt."""
    assert predicted_step(16.0, 4, 1, 4.0, STEP) == round((8.0 - 4.0) / STEP)
    assert predicted_step(12.0, 2.25, 1, 4.0, STEP) == round((8.0 - 4.0) / STEP)


@pytest.mark.parametrize("used", [1.1, 1.5, 2, 2.7, 3, 5])
@pytest.mark.parametrize("size", [9.0, 11.0, 16.0])
def test_prediction_is_rounded_down_onto_the_grid(size, used):
    step = predicted_step(size, used, 1, LOW, STEP)
    exact = size * math.sqrt(1 / used)
    if exact < LOW:
        assert step == 0
    else:
        assert LOW + step * STEP <= exact + 1e-9 < LOW + (step + 1) * STEP


@pytest.mark.parametrize("used", [0, -1, 1e6, 1e12])
def test_prediction_is_never_negative(used):
    assert predicted_step(11.0, used, 8, LOW, STEP) >= 0
    assert predicted_step(7.0, used, 1, LOW, STEP) >= 0
