"""Auto-fit's search on its own, without PDFs: for every monotone "does step s fit?" oracle and every
starting point, `largest_fitting` must agree with a plain scan of the grid, never pay twice for a step,
and stay cheap when it starts at (or near) the answer."""

import math

import pytest

from zinepress.autofit import bracketed, gallop, interpolated_size, largest_fitting

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


# --- bracketed: the search with no size from last time -----------------------------------------------

def guessers(top: int) -> dict:
    """Good, bad and hostile guessers: the answer must not depend on them, only the cost."""
    return {"middle": lambda low, high: (low + high) // 2, "just above": lambda low, high: low + 1,
            "just below": lambda low, high: high - 1, "off the grid": lambda low, high: top + 7,
            "below the bracket": lambda low, high: low - 3, "the answer": None}


@pytest.mark.parametrize("top", TOPS)
def test_bracketed_agrees_with_an_exhaustive_scan_whatever_the_guesses(top):
    for threshold in range(-1, top + 1):
        for name, guess in guessers(top).items():
            for first in (-3, 0, top // 2, top, top + 3):
                for fitting in (-1, 0) if threshold >= 0 else (-1,):
                    oracle = Oracle(threshold, top)
                    chosen = guess or (lambda low, high: threshold)
                    found = bracketed(oracle, top, first, chosen, fitting)
                    case = f"top={top} threshold={threshold} {name} first={first} calls={oracle.calls}"
                    assert found == scan(oracle, top), case
                    assert len(oracle.calls) == len(set(oracle.calls)), f"a step was laid out twice: {case}"
                    assert all(0 <= step <= top for step in oracle.calls), f"off the grid: {case}"
                    assert fitting not in oracle.calls, f"asked about the step known to fit: {case}"
                    asked = set(oracle.calls) | ({fitting} if fitting >= 0 else set())
                    proven = found in asked and (found == top or found + 1 in asked) if found is not None \
                        else 0 in asked
                    assert proven, f"claimed without seeing it: {case}"


def test_bracketed_with_a_right_guess_costs_at_most_three_passes():
    top = 16
    for threshold in range(0, top):
        oracle = Oracle(threshold, top)
        bracketed(oracle, top, top // 2, lambda low, high: threshold if low < threshold else threshold + 1)
        assert len(oracle.calls) <= 3, (threshold, oracle.calls)


def test_a_guess_at_an_end_of_the_bracket_looks_next_to_it():
    """The size that fitted is predicted to be the answer: the next pass checks the step above it."""
    oracle = Oracle(8, 16)
    assert bracketed(oracle, 16, 8, lambda low, high: low) == 8 and oracle.calls == [8, 9]
    oracle = Oracle(6, 16)
    assert bracketed(oracle, 16, 7, lambda low, high: high + 3) == 6 and oracle.calls == [7, 6]


def test_bracketed_with_bad_guesses_stays_logarithmic():
    top = 64
    for threshold in range(-1, top + 1):
        for name, guess in guessers(top).items():
            if guess is None:
                continue
            oracle = Oracle(threshold, top)
            bracketed(oracle, top, top // 2, guess)
            assert len(oracle.calls) <= 2 * math.log2(top + 1) + 2, (name, threshold, oracle.calls)



def test_bracketed_from_a_guessed_first_step_stays_logarithmic():
    """A first step guessed rather than the middle (a booklet's, from its count pass) costs at most one
    pass more than the bound from the middle, however bad the guesses."""
    top = 64
    for threshold in range(0, top + 1):
        for name, guess in guessers(top).items():
            for first in (1, top // 3, top - 1):
                if guess is None:
                    continue
                oracle = Oracle(threshold, top)
                bracketed(oracle, top, first, guess, fitting=0)
                assert len(oracle.calls) <= 2 * math.log2(top + 1) + 3, (name, threshold, first, oracle.calls)


def test_a_good_first_guess_is_not_held_against_the_guesser():
    """The booklet's case: the count pass fits at step 0, the first guess lands just below the answer and
    the next just on it; the step above closes the search, without a detour through the middle."""
    oracle = Oracle(5, 10)
    guesses = iter([5])
    assert bracketed(oracle, 10, 4, lambda low, high: next(guesses, low), fitting=0) == 5
    assert oracle.calls == [4, 5, 6], oracle.calls

# --- interpolated_size: where the next pass should look ---------------------------------------------

def test_one_measure_follows_the_area_of_the_text():
    """Text area grows with the square of the size: four times the pages at 16 pt fit one at 8 pt."""
    assert interpolated_size([(16.0, 4.0)], 1) == pytest.approx(8.0)
    assert interpolated_size([(12.0, 2.25)], 1) == pytest.approx(8.0)
    assert interpolated_size([(9.0, 8.0)], 8) == pytest.approx(9.0)


def test_two_measures_fit_the_power_through_them():
    """Pages used 2 at 8 pt and 4.5 at 12 pt: a power of 2 (the square), so 8 pages at 16 pt."""
    assert interpolated_size([(8.0, 2.0), (12.0, 4.5)], 8) == pytest.approx(16.0)
    assert interpolated_size([(12.0, 4.5), (8.0, 2.0)], 3) == pytest.approx(8.0 * math.sqrt(1.5))
    # a steeper rise (a cubic): the size moves less for the same change of pages
    assert interpolated_size([(8.0, 1.0), (10.0, 1.953125)], 8) == pytest.approx(16.0)


def test_a_flat_measure_falls_back_to_the_nearest_point():
    """Two sizes using the same pages (a block moved whole to the next page) say nothing of the power."""
    assert interpolated_size([(10.0, 1.16), (9.0, 1.16)], 1) == pytest.approx(9.0 * math.sqrt(1 / 1.16))
    assert interpolated_size([(9.0, 0.0)], 1) == 9.0   # nothing measured: stay


def test_more_pages_used_predicts_a_smaller_size():
    previous = math.inf
    for used in [8.5, 9, 10, 12, 16, 24]:
        size = interpolated_size([(11.0, used)], 8)
        assert size < 11.0 and size < previous, used
        previous = size


def test_one_measure_follows_the_formats_growth():
    """A format whose pages fill in proportion to the size (growth 1): 1.25 pages at 10 pt fit one at 8."""
    assert interpolated_size([(10.0, 1.25)], 1, growth=1.0) == pytest.approx(8.0)
    assert interpolated_size([(10.0, 1.25)], 1, growth=1.0) < interpolated_size([(10.0, 1.25)], 1)
    # two measures that grow still set their own power, whatever the format's
    assert interpolated_size([(8.0, 2.0), (12.0, 4.5)], 8, growth=1.0) == pytest.approx(16.0)
