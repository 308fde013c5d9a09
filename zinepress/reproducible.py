"""Byte-identical PDFs for identical inputs: every timestamp comes from SOURCE_DATE_EPOCH."""

import calendar
import contextlib
import os
from collections.abc import Iterator

from .edition import Edition


def edition_epoch(edition: Edition) -> int:
    """A timestamp that changes only with the data: midnight UTC of the newest line check."""
    newest = max(line.checked for line in edition.lines)
    return calendar.timegm(newest.timetuple())


@contextlib.contextmanager
def source_date(edition: Edition) -> Iterator[int]:
    """Set SOURCE_DATE_EPOCH (read by fontTools when it subsets fonts) unless the user set it."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = int(given) if given and given.isdigit() else edition_epoch(edition)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield epoch
    finally:
        if given is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = given
