"""WeasyPrint's C arrays named without their length (zinepress/weasy_arrays.py)."""

import inspect

import weasyprint.pdf.fonts
from weasyprint.text.ffi import ffi

from zinepress import weasy  # noqa: F401  (installs it)
from zinepress.weasy_arrays import unsized


def test_weasyprint_still_names_arrays_by_their_length():
    """Fails when WeasyPrint stops doing so: then weasy_arrays.py has nothing left to do."""
    assert "ffi.new(f'hb_codepoint_t[{len(" in inspect.getsource(weasyprint.pdf.fonts)
    assert getattr(ffi.new, "unsized", False)


def test_an_array_given_all_its_items_is_asked_for_unsized():
    asked = []
    new = unsized(lambda cdecl, init=None: asked.append((cdecl, init)))
    new("hb_codepoint_t[3]", [7, 8, 9])
    new("hb_codepoint_t[3]", [7])             # fewer items: the rest are zeros, so the length stays
    new("hb_codepoint_t[3]")
    new("char[]", [1, 2])
    new("unsigned int *", 100)
    assert [cdecl for cdecl, _ in asked] == ["hb_codepoint_t[]", "hb_codepoint_t[3]", "hb_codepoint_t[3]",
                                             "char[]", "unsigned int *"]


def test_the_arrays_hold_what_they_were_given():
    for items in ([], [5], list(range(1000, 1300))):
        array = ffi.new(f"hb_codepoint_t[{len(items)}]", items)
        assert len(array) == len(items) and list(array) == items
        assert ffi.typeof(array).item is ffi.typeof("hb_codepoint_t")
    padded = ffi.new("hb_codepoint_t[4]", [1, 2])
    assert list(padded) == [1, 2, 0, 0]
