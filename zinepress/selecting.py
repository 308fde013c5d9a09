"""Which editions a command covers: `--region` and `--lang` as a name, a comma list or `all`, and
`--shard K/N`, a stable K-th of the editions so that N machines together build each exactly once."""

from dataclasses import replace

from .contacts import is_region_path, load_region, region_codes
from .content import available_languages
from .edition import Selection
from .errors import UsageError
from .paths import content_folder, safe_name

ALL = "all"


def names(value: str, what: str, upper: bool = False) -> list[str]:
    """'US, GB,us' -> ['US', 'GB'] (region codes upper-cased before repeats are dropped); refuses an
    empty list."""
    listed = [name.strip() for name in value.split(",") if name.strip()]
    if not listed:
        raise UsageError(f"--{what}: name at least one, or {ALL}")
    return list(dict.fromkeys(name if upper and is_region_path(name) else   # a region file, by path
                              safe_name(name, what).upper() if upper else safe_name(name, what)
                              for name in listed))


def editions(base: Selection, regions: str, languages: str | None) -> list[Selection]:
    """Every (region, language) asked for, sorted by region then language."""
    codes = region_codes() if regions.strip().lower() == ALL else names(regions, "region", upper=True)
    if languages is None:
        return [replace(base, region=code) for code in codes]
    if languages.strip().lower() != ALL:
        return [replace(base, region=code, language=lang) for code in codes for lang in names(languages, "lang")]
    have = available_languages(content_folder(base.content))
    chosen = []
    for code in codes:
        spoken = [lang for lang in load_region(code, []).languages if lang in have]
        # A region none of whose languages the content has gets its default edition (English).
        chosen += [replace(base, region=code, language=lang) for lang in spoken] or [replace(base, region=code)]
    return chosen


def parse_shard(value: str | None) -> tuple[int, int]:
    """'2/5' -> (2, 5); None -> (1, 1)."""
    if value is None:
        return 1, 1
    try:
        part, parts = (int(number) for number in value.split("/"))
    except ValueError:
        raise UsageError(f"--shard {value}: write K/N, e.g. 2/5 for the second of five parts") from None
    if not 1 <= part <= parts:
        raise UsageError(f"--shard {value}: K must be from 1 to N")
    return part, parts


def shard(items: list, part: int, parts: int) -> list:
    """The part-th of `parts` interleaved slices of `items` (already in a stable order): disjoint,
    together complete, and balanced to within one item."""
    return items[part - 1::parts]
