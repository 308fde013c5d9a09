"""Imposition geometry, without PDFs: which page goes where on which side."""

import pytest

from zinepress.impose import minizine_sheet, saddle_pairs, saddle_sheets


def test_saddle_pairs_for_eight_pages():
    # Fold an 8-page booklet by hand: outer sheet 8|1 and 2|7, inner sheet 6|3 and 4|5.
    assert saddle_pairs(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize("pages", [4, 8, 12, 16, 40])
def test_saddle_uses_every_page_once_and_facing_pages_sum(pages):
    pairs = saddle_pairs(pages)
    assert sorted(p for pair in pairs for p in pair) == list(range(1, pages + 1))
    # On a folded sheet the two halves of a side always add up to N + 1.
    assert all(left + right == pages + 1 for left, right in pairs)


def test_saddle_refuses_a_page_count_not_a_multiple_of_four():
    with pytest.raises(ValueError):
        saddle_pairs(6)


def test_saddle_sheets_centre_the_pair_on_the_sheet():
    a5 = (419.53, 595.28)
    sides = saddle_sheets(4, *a5, sheet=(841.89, 595.28))
    left, right = sides[0].placements
    assert left.x == pytest.approx((841.89 - 2 * a5[0]) / 2)
    assert right.x == pytest.approx(left.x + a5[0])
    assert (sides[0].width, sides[0].height) == (841.89, 595.28)


def test_minizine_rows():
    sheet = minizine_sheet(198, 306)
    top = sorted((p for p in sheet.placements if p.y > 0), key=lambda p: p.x)
    bottom = sorted((p for p in sheet.placements if p.y == 0), key=lambda p: p.x)
    assert [p.page + 1 for p in top] == [5, 4, 3, 2] and all(p.rotate == 180 for p in top)
    assert [p.page + 1 for p in bottom] == [6, 7, 8, 1] and all(p.rotate == 0 for p in bottom)
    assert (sheet.width, sheet.height) == (792, 612)
