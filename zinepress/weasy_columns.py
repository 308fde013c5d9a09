"""Columns that fill in turn, laid out once: WeasyPrint 70 lays out a run of columns twice, first to learn
whether its content fits the page and where it would balance, then to place it. A box whose content is all
columns (nothing spans them) with `column-fill: auto`, and no floats or footnotes in it, is never
balanced, and WeasyPrint throws that first layout away. Here it is not made: the one-pager's two-column
flow takes a third less time a pass (0.21 s to 0.14 s), and its pages come out byte for byte the same.

The one place zinepress changes WeasyPrint's code (pinned below 71): at import, `columns_layout`'s source
with its first layout's loop made conditional, compiled in its own module's namespace. If the loop is not
found as written, WeasyPrint's own function is kept (slower, never wrong), and tests/test_weasy_columns.py
fails loudly."""

import inspect
from collections.abc import Callable

import weasyprint.layout.block as weasyprint_block
import weasyprint.layout.column as weasyprint_column

# The loop that lays the columns out to measure them, and the same loop asked first whether it is needed.
PROBE = ("        while True:\n"
         "            # Remove extra excluded shapes introduced during the previous loop\n")
PROBE_IF_NEEDED = ("        measured_in_vain = _never_balanced(box, style, columns_and_blocks)\n"
                   "        while not measured_in_vain:\n"
                   "            # Remove extra excluded shapes introduced during the previous loop\n")


def never_balanced(box, style, groups: list) -> bool:
    """Whether WeasyPrint's first layout of these columns would be thrown away: filled in turn, one run of
    columns and nothing spanning them, and no float or footnote inside (footnotes change the height the
    first layout tries again at; floats, which zinepress's layouts do not put in columns, are left to
    WeasyPrint's own way rather than reasoned about)."""
    return (style["column_fill"] == "auto" and len(groups) == 1
            and not any(child.style["float"] != "none" for child in box.descendants() if child is not box))


def columns_laid_out_once() -> Callable | None:
    """WeasyPrint's `columns_layout` without its first layout where that is thrown away; None when its
    source is not as expected (another WeasyPrint) or cannot be read."""
    try:
        source = inspect.getsource(weasyprint_column.columns_layout)
    except (OSError, TypeError):   # no source files (a frozen build)
        return None
    if source.count(PROBE) != 1:
        return None
    namespace = dict(vars(weasyprint_column), _never_balanced=never_balanced)
    exec(compile(source.replace(PROBE, PROBE_IF_NEEDED), weasyprint_column.__file__, "exec"), namespace)
    return namespace["columns_layout"]


def install() -> bool:
    """Make WeasyPrint's block layout call it (block.py imported `columns_layout` by name); whether it did."""
    replacement = columns_laid_out_once()
    if replacement is None:
        return False
    weasyprint_block.columns_layout = replacement
    return True


INSTALLED = install()
