"""Stopping a layout as soon as it is certain to take more pages than allowed (WeasyPrint's private API).

Auto-fit's last pass of a search is often a step above the size that fits, there only to show that it
does not: laid out in full it fills the overflow page too, and WeasyPrint builds every page's drawing
plan. Within `pages_at_most(n)`, a layout whose n-th page leaves content for the next one stops there
and raises TooManyPages instead (about a third of such a pass for the one-pager and the poster).

This is the only place zinepress reaches into WeasyPrint's pagination: `weasyprint.layout` calls
`make_all_pages` by its module-level name, a generator yielding each page once laid out, and
`context.page_maker[i + 1][0]` holds where page i + 1 resumes (None when the content ended).
tests/test_pagelimit.py pins both, so an upgrade that changes them fails there, loudly."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .weasy import weasyprint_layout

_limit: ContextVar[int | None] = ContextVar("zinepress_page_limit", default=None)
_make_all_pages = weasyprint_layout.make_all_pages


class TooManyPages(Exception):
    """The layout needs more pages than the limit it was given."""


def _limited_pages(context, root_box, html, pages) -> Iterator:
    """WeasyPrint's pages one by one, stopped once the limit is reached with content left over."""
    limit = _limit.get()
    for index, page in enumerate(_make_all_pages(context, root_box, html, pages)):
        yield page
        if limit is not None and index + 1 >= limit and more_content(context, index):
            raise TooManyPages(f"more than {limit} pages")


def more_content(context, index: int) -> bool:
    """Whether content resumes on the page after page `index` (counted from 0)."""
    makers = context.page_maker
    return index + 1 < len(makers) and makers[index + 1][0] is not None


weasyprint_layout.make_all_pages = _limited_pages


@contextmanager
def pages_at_most(limit: int) -> Iterator[None]:
    """Layouts within stop with TooManyPages once they certainly need more than `limit` pages."""
    token = _limit.set(limit)
    try:
        yield
    finally:
        _limit.reset(token)
