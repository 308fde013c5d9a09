"""The fields the data files know, and a warning for any other: a misspelt `notes:` for `note:` would
otherwise be silently ignored, and its text never printed."""

import difflib

LINE_FIELDS = ("name", "call", "text", "chat", "hours", "cost", "audience", "note", "languages", "source",
               "checked", "region", "kind", "primary", "show_on", "options", "evidence", "confidence",
               "confidence_note")
NUMBER_FIELDS = ("number", "display", "keyword", "short")
REGION_FIELDS = ("region", "name", "extends", "paper", "languages", "emergency", "lines")
CONTACTS_FIELDS = ("lines", "omit", "replace")


def warn_unknown(data: dict, known: tuple[str, ...], where: str, warnings: list[str]) -> None:
    """A warning per field of `data` that is not in `known`, naming the closest known field."""
    for key in data:
        if key in known:
            continue
        closest = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"did you mean '{closest[0]}'?" if closest else f"known fields: {', '.join(known)}"
        warnings.append(f"{where}: unknown field '{key}' is ignored; {hint}")
