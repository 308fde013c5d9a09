"""Auto-fit still picks the largest body size that fits, now that it searches instead of scanning: for two
editions (US on Letter, GB on A4) and every auto-fit format (the booklet on the pages its text takes at
the smallest size), the size `Layouter.lay_out` picks — cold, and
from hints at wrong sizes — is compared with a plain scan that lays the format out at every size on the
grid and keeps the largest that fits.

The scan's layouts are kept (per edition and format) and handed back when a hinted search asks for the
same page setup again, so the hinted searches cost almost nothing; the cold search renders for itself."""

import pytest

from zinepress.edition import Selection, build_edition
from zinepress.formats import load_format
from zinepress.html import PageSetup
from zinepress.layout import SIZE_STEP, FitHint, Layouter, rounded_up

REGIONS = ("US", "GB")
FORMATS = ("booklet", "card", "minizine", "onepager", "poster")
TEXTS = {"full": [False], "compact": [True], "auto": [False, True]}   # format.yaml `text:` (README)


class Scan:
    """One edition's layouts at every grid size of one format, kept for the searches that follow."""

    def __init__(self, region: str, name: str) -> None:
        self.edition = build_edition(Selection(region=region))
        self.layouter = Layouter(self.edition)
        self.fmt = load_format(name)
        self.documents: dict[PageSetup, object] = {}
        low, high = self.fmt.autofit.min_size, self.fmt.autofit.max_size
        self.sizes = [low + i * SIZE_STEP for i in range(round((high - low) / SIZE_STEP) + 1)]
        assert self.sizes[0] == low and self.sizes[-1] == high, self.sizes
        self.fits: dict[bool, dict[float, bool]] = {}
        self.answer: tuple[float, bool] | None = None
        # The booklet's page count is the multiple of 4 its text takes at the smallest size (README).
        smallest = len(self.render(PageSetup(low, compact=self.fmt.text == "compact")).pages)
        self.pages = self.fmt.exact_pages or rounded_up(smallest, self.fmt.page_multiple)
        self.layouter.limits[name] = self.pages
        for compact in TEXTS[self.fmt.text]:   # the compact text only when no size fits the full text
            self.fits[compact] = {size: self.layouter.fits(self.fmt, self.render(PageSetup(size, compact=compact)))
                                  for size in self.sizes}
            fitting = [size for size, ok in self.fits[compact].items() if ok]
            if fitting:
                self.answer = max(fitting), compact
                break

    def render(self, setup: PageSetup):
        if setup not in self.documents:
            self.documents[setup] = Layouter.render(self.layouter, self.fmt, setup)
        return self.documents[setup]

    def search(self, hint: FitHint | None):
        """lay_out with the scan's layouts handed back: (what it laid out, the setups it asked for)."""
        asked: list[PageSetup] = []

        def render(fmt, setup, at_most=None):   # as Layouter.render: None when stopped over `at_most` pages
            assert fmt.name == self.fmt.name
            asked.append(setup)
            document = self.render(setup)
            return None if at_most is not None and len(document.pages) > at_most else document

        self.layouter.render = render
        try:
            return self.layouter.lay_out(self.fmt, hint), asked
        finally:
            del self.layouter.render

    def describe(self) -> str:
        return "; ".join(f"{'compact' if compact else 'full'}: " + " ".join(f"{size:g}{'+' if ok else '-'}"
                                                                           for size, ok in fits.items())
                         for compact, fits in self.fits.items())


@pytest.fixture(scope="module")
def scans():
    """Each edition and format scanned once for the module (their layouts take some 100 MB in all)."""
    kept: dict = {}

    def get(region: str, name: str) -> Scan:
        if (region, name) not in kept:
            kept[(region, name)] = Scan(region, name)
        return kept[(region, name)]

    yield get
    kept.clear()


def picked(laid) -> tuple[float, bool]:
    return laid.setup.body_size, laid.setup.compact


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("region", REGIONS)
def test_a_cold_search_picks_the_largest_size_that_fits(scans, region, name):
    scan = scans(region, name)
    assert scan.answer is not None, f"precondition: nothing fits ({scan.describe()})"
    layouter = Layouter(scan.edition)             # a fresh layouter, rendering for itself
    laid = layouter.lay_out(load_format(name))
    assert picked(laid) == scan.answer, scan.describe()
    assert len(laid.document.pages) == scan.pages
    assert layouter.passes < len(scan.sizes), "the search laid out as many sizes as a scan"


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("region", REGIONS)
def test_a_search_from_a_wrong_hint_still_picks_the_largest_size_that_fits(scans, region, name):
    scan = scans(region, name)
    fmt = scan.fmt
    low, high = fmt.autofit.min_size, fmt.autofit.max_size
    texts = TEXTS[fmt.text]
    hints = [FitHint(size, compact) for compact in texts
             for size in (low, high, low - 2, high + 3, low + SIZE_STEP / 3)]   # off the range, off the grid
    wrong = []
    for hint in hints:
        laid, asked = scan.search(hint)
        if picked(laid) != scan.answer:
            wrong.append((hint, picked(laid), [(s.body_size, s.compact) for s in asked]))
        assert len(laid.document.pages) == scan.pages
    assert not wrong, f"expected {scan.answer}; {scan.describe()}; got {wrong}"


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("region", REGIONS)
def test_a_search_from_the_right_hint_costs_two_passes(scans, region, name):
    scan = scans(region, name)
    size, compact = scan.answer
    laid, asked = scan.search(FitHint(size, compact))
    assert picked(laid) == scan.answer, scan.describe()
    padding = 1 if laid.setup.pad_pages else 0        # filler pages are one more layout
    counting = 1 if scan.fmt.exact_pages is None else 0   # the booklet's pass at the smallest size
    searched = [setup for setup in asked if not setup.pad_pages]
    assert len(searched) <= 2 + counting and len(asked) <= 2 + counting + padding, [(s.body_size, s.compact) for s in asked]
    assert len(set(searched)) == len(searched), "a size was laid out twice"


@pytest.mark.parametrize("region", REGIONS)
def test_the_onepager_prefers_the_full_text_even_when_the_compact_one_fitted_last_time(scans, region):
    """A hint that only the compact text fitted last time: the full text is still tried first."""
    scan = scans(region, "onepager")
    for size in (scan.fmt.autofit.min_size, scan.fmt.autofit.max_size):
        laid, _ = scan.search(FitHint(size, True))
        assert picked(laid) == scan.answer, (size, scan.describe())
