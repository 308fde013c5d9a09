"""Columns that fill in turn, laid out once: WeasyPrint 70 lays out a run of columns twice, first to learn
whether its content fits the page and where it would balance, then to place it. A box whose content is all
columns (nothing spans them) with `column-fill: auto` is never balanced, and WeasyPrint throws that first
layout away. Here it is not made, when nothing in the columns would carry a trace of it into the second
(see `leaves_a_trace`): the one-pager's two-column flow takes a third less time a pass (0.21 s to 0.14 s),
and its pages come out byte for byte the same.

The one place zinepress changes WeasyPrint's code (pinned below 71; the function is the same from 67 to
70): at import, `columns_layout`'s source with its first layout's loop made conditional, compiled in its
own module's namespace at its own line numbers. If the loop is not found as written, WeasyPrint's own
function is kept (slower), and tests/test_weasy_columns.py fails loudly; it also compares the layouts of
a range of documents with WeasyPrint's own."""

import inspect
from collections.abc import Callable

import weasyprint.layout.block as weasyprint_block
import weasyprint.layout.column as weasyprint_column

# The loop that lays the columns out to measure them, and the same loop asked first whether it is needed.
PROBE = ("        while True:\n"
         "            # Remove extra excluded shapes introduced during the previous loop\n")
# As many lines as PROBE, so that a traceback through the function points at WeasyPrint's own lines.
PROBE_IF_NEEDED = ("        measured_in_vain = _never_balanced(box, style, columns_and_blocks)\n"
                   "        while not measured_in_vain:\n")


def never_balanced(box, style, groups: list) -> bool:
    """Whether WeasyPrint's first layout of these columns would be thrown away, leaving nothing behind:
    filled in turn, one run of columns and nothing spanning them, and nothing inside that leaves a trace."""
    return (style["column_fill"] == "auto" and len(groups) == 1
            and not any(leaves_a_trace(child) for child in box.descendants() if child is not box))


def leaves_a_trace(box) -> bool:
    """Whether WeasyPrint's first layout of a box in the columns changes how the second lays it out: a
    float or footnote (the height the columns are tried again at), a running element or a note (kept once
    more), columns inside (the first layout ends with WeasyPrint's flag for being in columns off). The
    layouts zinepress ships have none of them in columns; for these, WeasyPrint's own way is kept."""
    return (box.is_floated() or box.is_footnote() or box.is_running() or box.is_note()
            or box.style["column_width"] != "auto" or box.style["column_count"] != "auto")


def columns_laid_out_once() -> Callable | None:
    """WeasyPrint's `columns_layout` without its first layout where that is thrown away; None when its
    source is not as expected (another WeasyPrint) or cannot be read."""
    try:
        lines, first = inspect.getsourcelines(weasyprint_column.columns_layout)
    except (OSError, TypeError):   # no source files (a frozen build)
        return None
    source = "".join(lines)
    if source.count(PROBE) != 1:
        return None
    source = "\n" * (first - 1) + source.replace(PROBE, PROBE_IF_NEEDED)
    namespace = dict(vars(weasyprint_column), _never_balanced=never_balanced)
    exec(compile(source, weasyprint_column.__file__, "exec"), namespace)
    return namespace["columns_layout"]


def install() -> bool:
    """Make WeasyPrint's block layout call it (block.py imported `columns_layout` by name); whether it did."""
    replacement = columns_laid_out_once()
    if replacement is None:
        return False
    weasyprint_block.columns_layout = replacement
    return True


INSTALLED = install()
