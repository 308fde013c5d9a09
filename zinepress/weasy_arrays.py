"""WeasyPrint's C arrays made without parsing a new C type for each length.

WeasyPrint 70 subsets each font with HarfBuzz, passing it arrays it names by their length
(`ffi.new(f'hb_codepoint_t[{len(keep)}]', keep)`); cffi parses every new such name with pycparser, 2 ms
each, about 27 times in a cold build of the default edition. An array given its items is the same array
made as `hb_codepoint_t[]`, a type parsed once. Only WeasyPrint's own FFI object is changed (its `new`);
tests/test_weasy_arrays.py checks the arrays and that WeasyPrint still names them so."""

import re

from weasyprint.text.ffi import ffi

SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]\Z")


def unsized(new):
    """`new` asking for `T[]` where it was asked for `T[N]` with N items given."""
    def made(cdecl, init=None):
        if isinstance(cdecl, str) and isinstance(init, (list, tuple)):
            sized = SIZED_ARRAY.match(cdecl)
            if sized and int(sized[2]) == len(init):
                return new(f"{sized[1]}[]", init)
        return new(cdecl, init)
    made.unsized = True
    return made


def install() -> None:
    if not getattr(ffi.new, "unsized", False):
        ffi.new = unsized(ffi.new)


install()
