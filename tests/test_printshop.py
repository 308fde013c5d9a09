"""Print-shop geometry without PDFs: bleed only where no neighbour is, marks on every cut, outside the bleed."""

import pytest

from zinepress.impose import Placement, Sheet, creep_shift
from zinepress.printshop import print_shop_sheet, single_page_sheets

W, H, B = 100.0, 200.0, 9.0


def spread_of_two() -> Sheet:
    """Two pages side by side, as a booklet side (joined at the fold)."""
    return Sheet(2 * W, H, (Placement(0, 0, 0), Placement(1, W, 0)))


def test_joined_pages_bleed_only_on_their_outer_sides():
    sheet = print_shop_sheet(spread_of_two(), W, H, B, cut_between=False)
    left, right = sheet.placements
    # The left page grows left, up and down, but not across the fold into its neighbour.
    assert left.clip == pytest.approx((left.x - B, left.y - B, W + B, H + 2 * B))
    assert right.clip == pytest.approx((right.x, right.y - B, W + B, H + 2 * B))
    assert sheet.trim[2:] == (2 * W, H) and sheet.bleed == B


def test_joined_pages_get_no_mark_at_the_fold():
    sheet = print_shop_sheet(spread_of_two(), W, H, B, cut_between=False)
    fold_x = sheet.placements[1].x
    vertical_xs = {round(x1, 3) for x1, y1, x2, y2 in sheet.marks if x1 == x2}
    assert fold_x not in vertical_xs and len(vertical_xs) == 2


def test_cut_pages_are_spaced_so_each_has_its_own_bleed_and_marks():
    sheet = print_shop_sheet(spread_of_two(), W, H, B, cut_between=True)
    left, right = sheet.placements
    assert right.x - (left.x + W) == pytest.approx(2 * B)
    assert right.clip == pytest.approx((right.x - B, right.y - B, W + 2 * B, H + 2 * B))
    vertical_xs = {round(x1, 3) for x1, y1, x2, y2 in sheet.marks if x1 == x2}
    assert vertical_xs == {round(v, 3) for v in (left.x, left.x + W, right.x, right.x + W)}


def test_marks_stay_outside_the_bleed_and_inside_the_sheet():
    sheet = print_shop_sheet(single_page_sheets(1, W, H)[0], W, H, B, cut_between=False)
    left, bottom, width, height = sheet.trim
    for x1, y1, x2, y2 in sheet.marks:
        for x, y in ((x1, y1), (x2, y2)):
            assert 0 <= x <= sheet.width and 0 <= y <= sheet.height
            outside_x = x < left - B or x > left + width + B
            outside_y = y < bottom - B or y > bottom + height + B
            assert outside_x or outside_y


def test_creep_grows_from_nothing_outside_to_all_of_it_inside():
    assert [creep_shift(s, 4, 6.0) for s in range(4)] == pytest.approx([0, 2, 4, 6])
    assert creep_shift(0, 1, 6.0) == 0
