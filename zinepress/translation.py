"""Translation metadata: a text that is a translation says from what, by whom, and whether a native
speaker has reviewed it (`translation: {from: en, reviewed: false, by: "..."}` in its front matter).

Organisations that print only what a native speaker has signed off ask for `--require-reviewed`; every
build and `check` names the unreviewed translations it uses either way."""

from dataclasses import dataclass
from pathlib import Path

from .errors import ZineError
from .paths import display
from .yamlfile import require_mapping

FIELDS = ("from", "reviewed", "by")


@dataclass(frozen=True)
class Translation:
    source: str             # the language it was translated from (`from:`)
    reviewed: bool          # has a native speaker of the language reviewed it?
    by: str | None = None   # who made it: a person, an organisation, or e.g. "machine, then edited"

    def describe(self) -> dict:
        """As the manifest records it."""
        return {"from": self.source, "reviewed": self.reviewed, **({"by": self.by} if self.by else {})}


def load_translation(meta: dict, where: str, language: str) -> Translation | None:
    """The front matter's `translation:` mapping, validated; None when the text is not a translation."""
    raw = meta.get("translation")
    if raw is None:
        return None
    data = require_mapping(raw, f"{where}: field 'translation'")
    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        raise ZineError(f"{where}: field 'translation'", f"unknown key '{unknown[0]}'",
                        "use only from, reviewed and by")
    source = data.get("from")
    if not isinstance(source, str) or not source.isalpha() or not 2 <= len(source) <= 3 or not source.islower():
        raise ZineError(f"{where}: field 'translation.from'", f"{source!r} is not a language code",
                        "name the language it was translated from, e.g. from: en")
    if source == language:
        raise ZineError(f"{where}: field 'translation.from'", f"'{source}' is this file's own language",
                        "name the language it was translated from, or leave translation out of an original")
    reviewed = data.get("reviewed")
    if not isinstance(reviewed, bool):
        raise ZineError(f"{where}: field 'translation.reviewed'", f"{reviewed!r} is not true or false",
                        "write reviewed: true once a native speaker has reviewed it, else reviewed: false")
    by = data.get("by")
    if by is not None and (not isinstance(by, str) or not by.strip()):
        raise ZineError(f"{where}: field 'translation.by'", "must be a text",
                        "name who translated it, e.g. by: \"Ana Ruiz\", or leave it out")
    return Translation(source, reviewed, by.strip() if by else None)


def unreviewed_note(path: Path, translation: Translation | None, what: str) -> str | None:
    """The line that names an unreviewed translation (None for an original or a reviewed one)."""
    if translation is None or translation.reviewed:
        return None
    by = f"; by: {translation.by}" if translation.by else ""
    return (f"{display(path)}: unreviewed translation of {what} (from '{translation.source}'{by}): no native "
            "speaker has reviewed it (reviewed: false), and --require-reviewed refuses it")


def require_reviewed(path: Path, translation: Translation | None) -> None:
    """Refuse an unreviewed translation, for editions that must have a native speaker's sign-off."""
    if translation is not None and not translation.reviewed:
        raise ZineError(f"{display(path)}: field 'translation'",
                        f"a translation from '{translation.source}' not reviewed by a native speaker",
                        "have one review it and set reviewed: true, or build without --require-reviewed")
