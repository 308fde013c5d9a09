"""Lay out an edition's HTML with WeasyPrint, padding and auto-fitting fixed page counts."""

from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .edition import Edition
from .errors import ZineError
from .fetcher import RefusedURL, SafeFetcher
from .formats import Format
from .html import PageSetup, render_html, render_template
from .paths import display

SIZE_STEP = 0.25  # points: auto-fit searches body sizes on this grid
FLOWING_TEXT = "main"  # templates put the text that flows from page to page in <main>
# An element a template marks data-one-page="what it is" must fit on one page (a cover, the crisis lines);
# its data-fix="..." says what to do when it does not.
ONE_PAGE, FIX = "data-one-page", "data-fix"


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
        self.passes += 1
        return self.document(fmt, render_html(self.edition, fmt, setup))

    def render_extra(self, fmt: Format, template: str, **values: object) -> bytes:
        """A PDF from another of the format's templates (a sheet overlay, a guide); it sets its own @page."""
        document = self.document(fmt, render_template(self.edition, fmt, template, **values))
        for what, fix, pages in spilled_elements(document):
            raise ZineError(f"layouts/{fmt.name}/{template}", f"{what} must fit on one page but takes {pages}",
                            fix or "shorten it")
        return document.write_pdf()

    def document(self, fmt: Format, html: str) -> Document:
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
        if not self.fits(fmt, smallest):
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
        return LaidOut(document, setup) if self.fits(fmt, document) else None

    def fits(self, fmt: Format, document: Document) -> bool:
        """Within the page limit, and every one-page element on a single page."""
        return len(document.pages) <= self.page_limit(fmt) and not spilled_elements(document)

    def page_limit(self, fmt: Format) -> int:
        return fmt.exact_pages or 10**6

    def pad(self, fmt: Format, laid: LaidOut) -> LaidOut:
        """Add designed filler pages (before the back cover) up to the format's page count."""
        count = len(laid.document.pages)
        if not self.fits(fmt, laid.document):
            raise self.too_long(fmt, laid.document, laid.setup.body_size, laid.setup.compact)
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
        """The error for a layout that does not fit: a one-page element, or about how many words to cut."""
        spilled = spilled_elements(document)
        if spilled:
            what, fix, pages = spilled[0]
            return ZineError(f"layouts/{fmt.name}", f"{what} must fit on one page of the {fmt.name} but take "
                             f"{pages} pages (body text at {size:g} pt)", fix or "shorten it")
        limit = self.page_limit(fmt)
        extra = len(document.pages) - limit
        text_pages = [words for words in map(flowing_words, document.pages) if words]
        if text_pages:
            over = sum(text_pages[-extra:])
        else:
            over = sum(len(text.split()) for page in document.pages[limit:] for text in page_texts(page))
        which = "compact text ('::: short' blocks)" if compact else "text"
        return ZineError(
            display(self.edition.content.path),
            f"the {which} does not fit the {limit}-page {fmt.name} even at {size:g} pt: "
            f"about {over} words ({extra} page{'s' * (extra > 1)}) too long",
            "shorten it, or build the booklet instead (--format booklet)")


def page_texts(page) -> list[str]:
    """The text of a laid-out page, box by box."""
    return [box.text for box in page._page_box.descendants() if hasattr(box, "text")]


def flowing_words(page) -> int:
    """How many words of the flowing text (the template's <main>) a laid-out page holds."""
    return sum(len(box.text.split()) for main in page._page_box.descendants()
               if main.element_tag == FLOWING_TEXT
               for box in main.descendants() if hasattr(box, "text"))


def spilled_elements(document: Document) -> list[tuple[str, str, int]]:
    """(what, fix, pages) for each element marked data-one-page that the layout spread over several pages."""
    pages_of: dict = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get(ONE_PAGE) is not None:
                pages_of.setdefault(element, set()).add(number)
    return [(element.get(ONE_PAGE), element.get(FIX, ""), len(pages))
            for element, pages in pages_of.items() if len(pages) > 1]
