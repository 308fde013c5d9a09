"""Lay out an edition's HTML with WeasyPrint, padding and auto-fitting fixed page counts."""

from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .edition import Edition
from .errors import ZineError
from .fetcher import RefusedURL, SafeFetcher
from .formats import Format
from .html import PageSetup, render_html
from .paths import display

SIZE_STEP = 0.25  # points: auto-fit searches body sizes on this grid


@dataclass
class LaidOut:
    document: Document
    setup: PageSetup


class Layouter:
    """Lays out the formats of one edition, sharing fonts and the fetcher between passes."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.fonts = FontConfiguration()
        self.fetcher = SafeFetcher(edition.content.path.parent)
        self.passes = 0

    def render(self, fmt: Format, setup: PageSetup) -> Document:
        html = render_html(self.edition, fmt, setup)
        self.passes += 1
        try:
            return HTML(string=html, base_url=fmt.folder.as_uri() + "/",
                        url_fetcher=self.fetcher).render(font_config=self.fonts)
        except RefusedURL as refused:
            raise ZineError(display(self.edition.content.path),
                            f"the {fmt.name} layout was asked to fetch {refused.url}",
                            "zinepress only reads files in layouts/, fonts/ and the content folder") from None

    def lay_out(self, fmt: Format) -> LaidOut:
        """The format's pages, padded to its page count, at the largest body size that fits."""
        if fmt.autofit is None:
            setup = PageSetup(fmt.body_size, compact=fmt.text == "compact")
            return self.pad(fmt, LaidOut(self.render(fmt, setup), setup))
        texts = {"full": [False], "compact": [True], "auto": [False, True]}[fmt.text]
        failure = None
        for compact in texts:
            fitted, failure = self.fit(fmt, compact)
            if fitted:
                return self.pad(fmt, fitted)
        raise failure

    def fit(self, fmt: Format, compact: bool) -> tuple[LaidOut | None, ZineError | None]:
        """Binary search on the size grid for the largest body size within the page limit."""
        low, high = fmt.autofit.min_size, fmt.autofit.max_size
        best = self.try_size(fmt, high, compact)
        if best:
            return best, None
        smallest = self.render(fmt, PageSetup(low, compact=compact))
        if len(smallest.pages) > self.page_limit(fmt):
            return None, self.too_long(fmt, smallest, low, compact)
        best = LaidOut(smallest, PageSetup(low, compact=compact))
        steps_low, steps_high = 0, round((high - low) / SIZE_STEP)
        while steps_high - steps_low > 1:
            middle = (steps_low + steps_high) // 2
            tried = self.try_size(fmt, low + middle * SIZE_STEP, compact)
            if tried:
                best, steps_low = tried, middle
            else:
                steps_high = middle
        return best, None

    def try_size(self, fmt: Format, size: float, compact: bool) -> LaidOut | None:
        setup = PageSetup(size, compact=compact)
        document = self.render(fmt, setup)
        return LaidOut(document, setup) if len(document.pages) <= self.page_limit(fmt) else None

    def page_limit(self, fmt: Format) -> int:
        return fmt.exact_pages or 10**6

    def pad(self, fmt: Format, laid: LaidOut) -> LaidOut:
        """Add designed filler pages (before the back cover) up to the format's page count."""
        count = len(laid.document.pages)
        target = fmt.exact_pages or -(-count // fmt.page_multiple) * fmt.page_multiple
        if count == target:
            return laid
        setup = PageSetup(laid.setup.body_size, target - count, laid.setup.compact)
        document = self.render(fmt, setup)
        if len(document.pages) != target:
            raise ZineError(f"layouts/{fmt.name}", f"padding gave {len(document.pages)} pages, not {target}",
                            "check that the template's notes pages each fill exactly one page")
        return LaidOut(document, setup)

    def too_long(self, fmt: Format, document: Document, size: float, compact: bool) -> ZineError:
        limit = self.page_limit(fmt)
        over = sum(len(text.split()) for page in document.pages[limit:] for text in page_texts(page))
        which = "compact text ('::: short' blocks)" if compact else "text"
        return ZineError(
            display(self.edition.content.path),
            f"the {which} does not fit the {limit}-page {fmt.name} even at {size:g} pt: "
            f"about {over} words ({len(document.pages) - limit} pages) too long",
            "shorten it, or build the booklet instead (--format booklet)")


def page_texts(page) -> list[str]:
    """The text of a laid-out page, box by box."""
    return [box.text for box in page._page_box.descendants() if hasattr(box, "text")]
