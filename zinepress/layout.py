"""Lay out an edition's HTML with WeasyPrint, padding and auto-fitting fixed page counts."""

import math
import re
from dataclasses import dataclass, replace

from urllib.parse import urljoin


from .edition import Edition
from .autofit import bracketed, interpolated_size, largest_fitting
from .coverage import check_coverage
from .errors import ZineError
from .fetcher import RefusedURL, SafeFetcher
from .fill import FIX, ONE_PAGE, has_one_page_element, used_pages
from .formats import Format, to_points
from .pagelimit import TooManyPages, pages_at_most
from .styles import shared_styles, sheet_text
from .placement import place
from .html import PageSetup, render_html, render_template
from .hyphenation import preload as preload_hyphenation
from .paths import display
from .weasy import CSS, HTML, Document

SIZE_STEP = 0.25  # points: auto-fit searches body sizes on this grid
# The texts a format's `text:` (format.yaml) tries, in order: compact (True) only when full does not fit.
TEXT_TRIES = {"full": (False,), "compact": (True,), "auto": (False, True)}
FLOWING_TEXT = "main"  # templates put the text that flows from page to page in <main>
NOTES_PAGE = "notes-page"   # the class of the padding pages (layouts/_shared/parts.html.j2)
# How the templates link their stylesheets (layouts/_shared/base.html.j2, the guides): see Layouter.document.
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


@dataclass(frozen=True)
class FitHint:
    """The body size, text and padding that fitted a format last time."""
    size: float | None       # None for formats without auto-fit
    compact: bool
    pad_pages: int = 0


@dataclass
class LaidOut:
    document: Document
    setup: PageSetup


class Layouter:
    """Lays out the formats of one edition, sharing fonts and the fetcher between passes."""

    def __init__(self, edition: Edition) -> None:
        check_coverage(edition)   # a character no bundled font has is refused before any layout
        preload_hyphenation(edition.language)
        self.edition = edition
        self.styles = shared_styles()
        self.styles.drop_changed()   # once per edition, not per pass: a sheet edited since is parsed again
        self.fonts = self.styles.fonts
        self.fetcher = SafeFetcher(edition.content.path.parent)
        self.images: dict = {}              # WeasyPrint's cache of decoded images, for every pass
        self.passes = 0
        self.fitted: dict[str, PageSetup] = {}    # format -> the setup of its final layout
        self.limits: dict[str, int] = {}    # format -> page limit of a `pages: multiple` format with auto-fit
        self.rooms: dict[str, int] = {}     # format -> fewer crisis lines than it holds, when all did not fit

    def render(self, fmt: Format, setup: PageSetup, at_most: int | None = None) -> Document | None:
        """The format's pages at one setup; with `at_most`, None as soon as they certainly need more."""
        self.passes += 1
        html = render_html(self.edition, self.with_room(fmt), setup)
        if at_most is None:
            return self.document(fmt, html, reuse_sheets=True)
        try:
            with pages_at_most(at_most):
                return self.document(fmt, html, reuse_sheets=True)
        except TooManyPages:
            return None

    def with_room(self, fmt: Format) -> Format:
        """The format as it is laid out: holding fewer crisis lines when all it holds did not fit."""
        room = self.rooms.get(fmt.name)
        return fmt if room is None else replace(fmt, lines=replace(fmt.lines, most=room))

    def render_extra(self, fmt: Format, template: str, **values: object) -> bytes:
        """A PDF from another of the format's templates (a sheet overlay, a guide); it sets its own @page."""
        document = self.document(fmt, render_template(self.edition, fmt, template, **values))
        for what, fix, pages in spilled_elements(document):
            raise ZineError(f"layouts/{fmt.name}/{template}", f"{what} must fit on one page but takes {pages}",
                            fix or "shorten it")
        return document.write_pdf()

    def document(self, fmt: Format, html: str, reuse_sheets: bool = False) -> Document:
        """With `reuse_sheets` (a format's own pages, laid out pass after pass), the shell's linked
        stylesheets are parsed once per edition and handed to WeasyPrint as the user's: the same cascade,
        as the shell's only rules of its own (its inline <style>: page size, body size) conflict with
        none of theirs. Guides and sheet overlays, made once, keep their own (!important) rules as written."""
        base_url = fmt.folder.as_uri() + "/"
        urls = [urljoin(base_url, href) for href in STYLESHEET_LINK.findall(html)] if reuse_sheets else []
        try:
            sheets, profiles = self.linked_sheets(urls)
            return HTML(string=STYLESHEET_LINK.sub("", html) if sheets else html, base_url=base_url,
                        url_fetcher=self.fetcher).render(font_config=self.fonts, stylesheets=sheets,
                                                         color_profiles=profiles if sheets else None,
                                                         cache=self.images)
        except RefusedURL as refused:
            raise ZineError(display(self.edition.content.path),
                            f"the {fmt.name} layout was asked to fetch {refused.url}",
                            "zinepress only reads files in layouts/, fonts/ and the content folder") from None

    def linked_sheets(self, urls: list[str]) -> tuple[list[CSS], dict]:
        """(the stylesheets, the colour profiles they name): each parsed once, except one that names
        colour profiles (--pdfx's cmyk.css), parsed for every render: WeasyPrint's profiles keep state
        from one document to the next, which changed the bytes of the embedded profile."""
        sheets, profiles = [], {}
        for url in urls:
            kept = self.styles.sheets.get(url)
            sheet = kept[1] if kept else None
            if sheet is None:
                named = len(profiles)
                sheet = CSS(url=url, url_fetcher=self.fetcher, font_config=self.fonts, color_profiles=profiles)
                text = sheet_text(url)
                if len(profiles) == named and text is not None:
                    self.styles.sheets[url] = text, sheet
            sheets.append(sheet)
        return sheets, profiles

    def lay_out(self, fmt: Format, hint: FitHint | None = None) -> LaidOut:
        """The format's pages, padded to its page count, at the largest body size that fits. When they do
        not fit even at the smallest size, a format that holds a set number of crisis lines tries one
        fewer (never leaving out the primary line or one marked `show_on` for it) before it fails."""
        while True:
            try:
                laid = self.search(fmt, hint)
                break
            except ZineError as error:
                shown = len(place(self.edition.lines, fmt.name, self.with_room(fmt).lines).lines)
                required = len(place(self.edition.lines, fmt.name, replace(fmt.lines, most=None)).required)
                # Only an overflow the lines cause (the back cover, a page of lines) is helped by fewer.
                if fmt.lines.most is None or shown <= max(required, 1) or "crisis lines" not in error.line():
                    self.rooms.pop(fmt.name, None)
                    raise
                self.rooms[fmt.name], hint = shown - 1, None
        self.fitted[fmt.name] = laid.setup
        return laid

    def search(self, fmt: Format, hint: FitHint | None) -> LaidOut:
        """`hint` is what fitted last time (remembered in the edition folder's manifest): the search starts
        there, so an unchanged or slightly changed text costs two layout passes."""
        if fmt.autofit is None:
            # Padded as last time: when the text still takes as many pages, that is the only pass.
            setup = PageSetup(fmt.body_size, hint.pad_pages if hint else 0, compact=fmt.text == "compact")
            laid = LaidOut(self.render(fmt, setup), setup)
            if setup.pad_pages and notes_pages(laid.document) != setup.pad_pages:
                laid = LaidOut(self.render(fmt, replace(setup, pad_pages=0)), replace(setup, pad_pages=0))
            return self.pad(fmt, laid)
        failure = None
        for compact in TEXT_TRIES[fmt.text]:
            fitted, failure = self.fit(fmt, compact, start_size(fmt, hint, compact))
            if fitted:
                return self.pad(fmt, fitted)
        raise failure

    def fit(self, fmt: Format, compact: bool, start: float | None) -> tuple[LaidOut | None, ZineError | None]:
        """The largest body size on the grid within the page limit: searched from `start` (what fitted last
        time) when given, else from the middle of the grid (a booklet: from its count pass), predicting from
        the pages each pass used."""
        low, high = fmt.autofit.min_size, fmt.autofit.max_size
        top = round((high - low) / SIZE_STEP)
        # Only the largest layout that fits, and the last one that did not, are kept: each is many MB.
        kept: dict[bool, tuple[int, LaidOut]] = {}
        used: dict[int, float] = {}    # step -> how much of its pages its layout filled
        known: dict[int, bool] = {}    # step -> whether it fitted

        def fits(step: int) -> bool:
            if step in known:   # the booklet's smallest size, laid out before the search
                return known[step]
            setup = PageSetup(low + step * SIZE_STEP, compact=compact)
            # Failing just above the largest size that fits ends the search, which then needs neither the
            # layout nor how full it is: it may stop at the page limit.
            closing = True in known.values() and step == max(s for s, ok in known.items() if ok) + 1
            document = self.render(fmt, setup, self.page_limit(fmt) if closing else None)
            if document is None:
                known[step] = False
                return False
            used[step] = used_pages(document)
            ok = self.fits(fmt, document)
            if not ok or step > kept.get(True, (-1, None))[0]:
                kept[ok] = step, LaidOut(document, setup)
            known[step] = ok
            return ok

        def guess(fitting: int, failing: int) -> int:
            # The bracket's ends; while nothing has fitted, the two smallest sizes that overflowed.
            steps = (fitting, failing) if fitting in used else sorted(used)[:2]
            points = [(low + step * SIZE_STEP, used[step]) for step in steps if step in used]
            size = interpolated_size(points, self.page_limit(fmt), fmt.autofit.growth)
            return math.floor((size - low) / SIZE_STEP + 1e-9)

        fitting = -1 if fmt.exact_pages is not None else self.counted(fmt, fits, kept, known)
        if fitting is None:
            found = None
        elif start is not None:
            found = largest_fitting(fits, top, round((start - low) / SIZE_STEP))
        else:
            # The middle of the grid, where one answer halves it either way; a booklet has its count pass
            # at the smallest size to guess from (over eight editions: 3.1 passes a booklet, not 3.6).
            first = top // 2 if fitting < 0 else min(max(guess(fitting, top + 1), fitting + 1), top)
            found = bracketed(fits, top, first, guess, fitting)
        if found is None:   # then the last failure was at the smallest size
            return None, self.too_long(fmt, kept[False][1].document, low, compact)
        return kept[True][1], None

    def counted(self, fmt: Format, fits, kept: dict, known: dict) -> int | None:
        """Set a booklet's page count from a pass at its smallest size (`fits(0)`); 0 if that fits within
        it, None if not (a one-page element spilled). Counted in every search, even from last time's size:
        a change of text can move a line's wrap and take pages away at the smallest size but not a step
        above it. A booklet's pages are the multiple its text needs at the smallest size; the largest size
        that fits them fills them, so notes pages pad only what even the largest size leaves empty."""
        self.limits[fmt.name] = 10**6
        fits(0)
        smallest = kept[True][1].document if True in kept else kept[False][1].document
        self.limits[fmt.name] = rounded_up(len(smallest.pages), fmt.page_multiple)
        fitting = 0 if True in kept and self.fits(fmt, smallest) else None
        known[0] = fitting == 0   # within the page count just set
        return fitting

    def fits(self, fmt: Format, document: Document) -> bool:
        """Within the page limit, and every one-page element on a single page."""
        return len(document.pages) <= self.page_limit(fmt) and not spilled_elements(document)

    def page_limit(self, fmt: Format) -> int:
        return fmt.exact_pages or self.limits.get(fmt.name, 10**6)

    def pad(self, fmt: Format, laid: LaidOut) -> LaidOut:
        """Add designed filler pages (before the back cover) up to the format's page count; `laid` may
        already hold some (its setup says how many)."""
        count = len(laid.document.pages) - laid.setup.pad_pages
        if not self.fits(fmt, laid.document):
            raise self.too_long(fmt, laid.document, laid.setup.body_size, laid.setup.compact)
        target = fmt.exact_pages or rounded_up(count, fmt.page_multiple)
        if count + laid.setup.pad_pages == target:
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
        if not text_pages:   # no flowing text (poster, card): the title, points and lines overflowed
            return self.too_full(fmt, document, size, limit)
        over = sum(text_pages[-extra:])
        which = "compact text ('::: short' blocks)" if compact else "text"
        return ZineError(
            display(self.edition.content.path),
            f"the {which} does not fit the {limit}-page {fmt.name} even at {size:g} pt: "
            f"about {over} words ({extra} page{'s' * (extra > 1)}) too long",
            "shorten it, or build the booklet instead (--format booklet)")

    def too_full(self, fmt: Format, document: Document, size: float, limit: int) -> ZineError:
        """A layout without flowing text that overflows: say what is on it rather than blame the text."""
        over = sum(len(text.split()) for page in document.pages[limit:] for text in page_texts(page))
        lines = len(place(self.edition.lines, fmt.name, fmt.lines).lines)
        fix = "print fewer crisis lines (your --contacts file adds to the region's; lower crisis_lines.max in " \
              f"layouts/{fmt.name}/format.yaml)"
        if fmt.name == "poster" and self.edition.options.get("tabs", True):
            fix += ", or build the poster without tear-off tabs (--no-tabs)"
        area = fmt.page_size_points(self.edition.paper)
        larger = [name for name, choice in (fmt.sizes or {}).items()
                  if to_points(choice.page[0]) * to_points(choice.page[1]) > 1.2 * area[0] * area[1]]
        if larger:   # a Letter or A4 poster holds half of what Tabloid or A3 does
            fix += f", or print it larger (--{fmt.name}-size {' or '.join(larger)})"
        return ZineError(f"layouts/{fmt.name}",
                         f"the {fmt.name}'s title, summary and {lines} crisis lines do not fit its {limit} "
                         f"page{'s' * (limit > 1)} even at {size:g} pt: "
                         + (f"about {over} words too many" if over else "a few lines too long"), fix)


def rounded_up(pages: int, multiple: int) -> int:
    """The smallest multiple of `multiple` that holds `pages`."""
    return -(-pages // multiple) * multiple


def start_size(fmt: Format, hint: FitHint | None, compact: bool) -> float | None:
    """Where auto-fit starts searching: the size that fitted last time for the same text. When last
    time only the compact text fitted, the full text (always preferred) is tried at the minimum first."""
    if hint is None:
        return None
    if hint.compact == compact:
        return hint.size
    return fmt.autofit.min_size if hint.compact else None


def notes_pages(document: Document) -> int:
    """How many pages are the template's notes pages (padding): each must fill exactly one page."""
    return sum(1 for page in document.pages
               if any(NOTES_PAGE in (getattr(box, "element", None) is not None and
                                     (box.element.get("class") or "").split() or ())
                      for box in page._page_box.descendants()))


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
            if has_one_page_element(box):
                pages_of.setdefault(box.element, set()).add(number)
    return [(element.get(ONE_PAGE), element.get(FIX, ""), len(pages))
            for element, pages in pages_of.items() if len(pages) > 1]
