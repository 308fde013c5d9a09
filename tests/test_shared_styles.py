"""The fonts and parsed stylesheets every edition shares (layout.Styles): a worker moving from one edition
to the next in a batch reuses them, and lays out the same pages as a layouter of its own would."""

from zinepress.batch import Job, load_job
from zinepress.edition import Selection
from zinepress.fetcher import SafeFetcher
from zinepress.formats import load_format
from zinepress.html import PageSetup
from zinepress.layout import Layouter
from zinepress.styles import forget_styles
from zinepress.reproducible import source_date


def edition(region: str):
    return load_job(Job(Selection(region=region), {"tabs": True}, ("card",)))


def card_pdf(layouter: Layouter) -> bytes:
    fmt = load_format("card")
    with source_date(layouter.edition):
        return layouter.render(fmt, PageSetup(fmt.autofit.min_size, compact=True)).write_pdf()


def test_a_second_edition_reuses_the_fonts_and_sheets_and_prints_the_same(tmp_path):
    forget_styles()
    first = Layouter(edition("US"))
    card_pdf(first)
    parsed = dict(first.styles.sheets)
    second = Layouter(edition("GB"))
    assert second.fonts is first.fonts and second.styles is first.styles
    shared = card_pdf(second)
    assert {url: sheet for url, (_, sheet) in second.styles.sheets.items()} == \
        {url: sheet for url, (_, sheet) in parsed.items()}, "a sheet was parsed again"
    forget_styles()
    alone = Layouter(edition("GB"))
    assert alone.styles is not first.styles
    assert card_pdf(alone) == shared


def test_an_edited_stylesheet_is_parsed_again_for_the_next_edition(tmp_path):
    """Files are compared when a layouter is made (once per edition), not on every layout pass."""
    forget_styles()

    def layouter() -> Layouter:
        made = Layouter(edition("US"))
        made.fetcher = SafeFetcher(tmp_path)   # as if tmp_path were the content folder: a file it may read
        return made

    sheet = tmp_path / "extra.css"
    sheet.write_text("p { color: red }")
    first = layouter()
    (before,), _ = first.linked_sheets([sheet.as_uri()])
    (again,), _ = layouter().linked_sheets([sheet.as_uri()])
    sheet.write_text("p { color: blue }")
    (after,), _ = layouter().linked_sheets([sheet.as_uri()])
    assert again is before and after is not before


def test_each_batch_starts_with_fonts_and_sheets_of_its_own(tmp_path):
    """The web page's server builds batch after batch in one process: each starts afresh."""
    from zinepress import styles as layout
    from zinepress.batch import run_batch
    from zinepress.progress import Progress

    forget_styles()
    kept = layout.shared_styles()
    [outcome] = run_batch([Job(Selection(), {"tabs": True}, ("card",))], tmp_path, 1, Progress("quiet"))
    assert outcome.error is None and outcome.built == ["card"]
    assert layout.shared_styles() is not kept
