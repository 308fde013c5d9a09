"""Columns that fill in turn are laid out once (zinepress/weasy_columns.py), and come out exactly as
WeasyPrint's own columns_layout lays them out."""

import pytest
import weasyprint.layout.block as weasyprint_block
import weasyprint.layout.column as weasyprint_column

from zinepress import weasy_columns
from zinepress.weasy import HTML

PARAGRAPHS = "".join(f"<p>Paragraph {n}: " + "words that wrap across the column " * (n % 5 + 2) + "</p>"
                     for n in range(40))
PAGE = "@page { size: 300pt 400pt; margin: 20pt } body { font: 9pt sans-serif; margin: 0 }"

DOCUMENTS = {
    "two pages filled in turn": f'<div style="columns: 2; column-fill: auto">{PARAGRAPHS}</div>',
    "short, filled in turn": '<div style="columns: 3; column-fill: auto"><p>One short paragraph.</p></div>',
    "after a heading, with a rule": f'<h1>Title</h1><div style="columns: 2; column-fill: auto; '
                                    f'column-rule: 1pt solid; column-gap: 12pt">{PARAGRAPHS}</div>',
    "right to left": f'<div dir="rtl" style="columns: 2; column-fill: auto">{PARAGRAPHS}</div>',
    "balanced": f'<div style="columns: 2">{PARAGRAPHS[:900]}</div>',
    "a spanning heading": f'<div style="columns: 2; column-fill: auto">{PARAGRAPHS[:1500]}'
                          f'<h2 style="column-span: all">Across</h2>{PARAGRAPHS[:1500]}</div>',
    "a short spanning heading": '<div style="columns: 2; column-fill: auto"><p>Before.</p>'
                                '<h2 style="column-span: all">Across</h2><p>After.</p></div>',
    "a float inside": f'<div style="columns: 2; column-fill: auto"><div style="float: right; width: 40pt; '
                      f'height: 60pt; background: gray"></div>{PARAGRAPHS}</div>',
    "unbreakable blocks": '<div style="columns: 2; column-fill: auto">'
                          + '<p style="break-inside: avoid; height: 150pt">block</p>' * 7 + '</div>',
    # WeasyPrint's first layout leaves its flag for being in columns off, so it ignores this column break.
    "columns inside": '<div style="columns: 2; column-fill: auto"><p>A</p><p style="break-before: column">B</p>'
                      '<div style="columns: 2"><p>inner one</p><p>inner two</p></div><p>C</p></div>',
    # ... and keeps a running element once more, shown twice by all-once.
    "a running element": '<style>@page { @top-center { content: element(head, all-once) } }</style>'
                         f'<div style="columns: 2; column-fill: auto"><p style="position: running(head)">Head</p>'
                         f'{PARAGRAPHS[:2000]}</div>',
    "a fixed height": f'<div style="columns: 2; column-fill: auto; height: 100pt">{PARAGRAPHS[:4000]}</div>',
}


def laid_out(html: str) -> list[tuple]:
    """Every box of every page: its kind, place, size and text (what the PDF draws)."""
    document = HTML(string=f"<style>{PAGE}</style>{html}").render()
    return [(number, type(box).__name__, round(box.position_x, 3), round(box.position_y, 3),
             round(box.width, 3), round(box.height, 3), getattr(box, "text", None))
            for number, page in enumerate(document.pages) for box in page._page_box.descendants()]


@pytest.fixture
def weasyprints_own(monkeypatch):
    """Lay out with WeasyPrint's own columns_layout for the rest of the test."""
    def use() -> None:
        monkeypatch.setattr(weasyprint_block, "columns_layout", weasyprint_column.columns_layout)
    return use


def test_installed_over_this_weasyprint():
    """Fails when WeasyPrint's columns_layout changes: read the new one, and patch it again or drop this."""
    assert weasy_columns.INSTALLED, "weasy_columns.PROBE is no longer in WeasyPrint's columns_layout"
    assert weasyprint_block.columns_layout is not weasyprint_column.columns_layout


def test_a_traceback_through_it_points_at_weasyprints_lines():
    ours, theirs = weasyprint_block.columns_layout.__code__, weasyprint_column.columns_layout.__code__
    assert ours.co_filename == theirs.co_filename and ours.co_firstlineno == theirs.co_firstlineno
    assert max(line for *_, line in ours.co_lines() if line) == max(line for *_, line in theirs.co_lines() if line)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pages_are_laid_out_as_weasyprint_lays_them_out(name, weasyprints_own):
    ours = laid_out(DOCUMENTS[name])
    weasyprints_own()
    assert ours == laid_out(DOCUMENTS[name])


def column_layouts(html: str, monkeypatch) -> int:
    """How many times the columns' content is laid out in rendering `html`."""
    calls = []
    box_layout = weasyprint_block.block_box_layout

    def counted(context, box, *args, **kwargs):
        calls.append(box.is_column)
        return box_layout(context, box, *args, **kwargs)

    monkeypatch.setattr(weasyprint_block, "block_box_layout", counted)
    laid_out(html)
    return calls.count(True)


# A heading spanning the columns splits them into runs, and all but the last run are balanced; on the
# pages after it, the last run alone is laid out once.
@pytest.mark.parametrize("name, once", [("two pages filled in turn", True), ("a spanning heading", True),
                                        ("a short spanning heading", False), ("a float inside", False),
                                        ("balanced", False), ("columns inside", False),
                                        ("a running element", False), ("a fixed height", True)])
def test_columns_filled_in_turn_are_laid_out_once(name, once, monkeypatch, weasyprints_own):
    ours = column_layouts(DOCUMENTS[name], monkeypatch)
    weasyprints_own()
    theirs = column_layouts(DOCUMENTS[name], monkeypatch)
    assert (ours < theirs) is once and ours <= theirs
