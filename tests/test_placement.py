"""Which lines each format prints: pure rules, tested on lines parsed from YAML-like data."""

from dataclasses import replace

import pytest

from zinepress.contacts import parse_line
from zinepress.errors import ZineError
from zinepress.placement import Capacity, place, print_order, tab_lines, tabs_cycle


def line(name: str, hours: str = "24/7", **extra):
    data = {"name": name, "call": "(503) 555-0142", "hours": hours, "source": "https://example.org/",
            "checked": "2026-11-20", **extra}
    return parse_line(data, f"test: {name}", "US", [])


def names(lines) -> list[str]:
    return [one.name for one in lines]


NATIONAL = line("National", primary=True)
REGION = (NATIONAL, line("Second"), line("Third"), line("Fourth"), line("Fifth"))
OURS = tuple(replace(line(f"Ours {n}", hours="School days, 8:30am-4pm"), local=True) for n in (1, 2, 3))


def test_local_lines_come_first_and_the_card_leads_with_the_primary_line():
    lines = REGION + OURS
    assert names(print_order(lines))[:4] == ["Ours 1", "Ours 2", "Ours 3", "National"]
    assert names(print_order(lines, primary_first=True))[:4] == ["National", "Ours 1", "Ours 2", "Ours 3"]


def test_a_small_format_keeps_the_primary_line_and_lists_what_it_leaves_out():
    placed = place(OURS + REGION, "card", Capacity(most=3, primary_first=True))
    assert names(placed.lines) == ["National", "Ours 1", "Ours 2"]
    assert names(placed.left_out) == ["Ours 3", "Second", "Third", "Fourth", "Fifth"]


def test_the_primary_line_is_kept_even_when_local_lines_fill_the_room():
    placed = place(OURS + REGION, "minizine", Capacity(most=2))
    assert names(placed.lines) == ["Ours 1", "National"]


def test_show_on_chooses_a_line_over_the_order():
    chosen = line("Fifth", show_on=["card"])
    placed = place(REGION[:4] + (chosen,), "card", Capacity(most=3, primary_first=True))
    assert names(placed.lines) == ["National", "Second", "Fifth"]


def test_more_required_lines_than_room_is_an_error_naming_lines_and_capacity():
    wanted = tuple(line(f"Wanted {n}", show_on=["card"]) for n in range(4))
    with pytest.raises(ZineError) as raised:
        place(REGION + wanted, "card", Capacity(most=4))
    message = raised.value.line()
    assert "5 lines must be printed on the card" in message and "holds 4" in message
    assert "Wanted 3" in message and "show_on" in message


def test_many_lines_are_printed_compactly():
    assert place(REGION, "booklet", Capacity(compact_over=4)).compact
    assert not place(REGION[:4], "booklet", Capacity(compact_over=4)).compact


def test_tabs_default_to_the_first_line_open_all_hours():
    assert names(tab_lines(OURS + REGION)) == ["National"]


def test_tabs_honour_a_choice_and_cycle_through_two_lines():
    first, second = line("Tab A", show_on=["tabs"]), line("Tab B", show_on="tabs")
    chosen = tab_lines(REGION + (first, second))
    assert names(tabs_cycle(chosen)) == ["Tab A", "Tab B"] * 4


def test_more_than_three_tab_lines_is_refused():
    with pytest.raises(ZineError, match="at most 3"):
        tab_lines(tuple(line(f"Tab {n}", show_on=["tabs"]) for n in range(4)))


def test_show_on_names_only_formats_and_tabs():
    with pytest.raises(ZineError, match="show_on.*'cards' is not a format"):
        line("Wrong", show_on=["cards"])


def test_name_keyword_and_options_can_be_given_per_language():
    data = {"name": {"en": "Crisis Text Line", "es": "Línea de Crisis por Texto"},
            "text": {"number": "741741", "keyword": {"en": "HOME", "es": "AYUDA"}},
            "options": {"en": "Spanish: text AYUDA", "es": "Español: envía AYUDA"},
            "hours": {"en": "24/7", "es": "24 horas"}, "source": "https://example.org/", "checked": "2026-11-20"}
    parsed = parse_line(data, "test", "US", [])
    spanish, english, french = (parsed.in_language(lang) for lang in ("es", "en", "fr"))
    assert (spanish.name, spanish.keyword, spanish.field("options")) == \
        ("Línea de Crisis por Texto", "AYUDA", "Español: envía AYUDA")
    assert (english.name, english.keyword) == ("Crisis Text Line", "HOME")
    assert (french.name, french.keyword, french.field("hours")) == ("Crisis Text Line", "HOME", "24/7")


def test_a_keyword_given_per_language_is_still_one_word_each():
    data = {"name": "X", "text": {"number": "741741", "keyword": {"en": "HOME", "es": "DOS PALABRAS"}},
            "hours": "24/7", "source": "https://example.org/", "checked": "2026-11-20"}
    with pytest.raises(ZineError, match=r"text\.keyword\.es"):
        parse_line(data, "test", "US", [])


@pytest.mark.parametrize("hours, open_all", [
    ("24/7", True), ("24 hours, every day", True), ("24/7 (calls); text 8am-midnight", True),
    ("Limited hours, not 24/7", False), ("Mon-Fri 10am-6pm (not 24/7)", False), ("Weekdays 9-5", False),
    ("24/7 except holidays", False),
])
def test_open_all_hours_is_read_strictly(hours, open_all):
    assert line("X", hours=hours).open_all_hours is open_all


def test_tabs_never_default_to_a_warm_line_or_a_part_time_line():
    warm = replace(line("Warm", kind="warmline"), local=True)
    part_time = replace(line("Ours", hours="Limited hours, not 24/7"), local=True)
    assert names(tab_lines((warm, part_time) + REGION)) == ["National"]


def test_a_keyword_per_language_needs_the_english_one():
    data = {"name": "X", "text": {"number": "741741", "keyword": {"es": "AYUDA"}},
            "hours": "24/7", "source": "https://example.org/", "checked": "2026-11-20"}
    with pytest.raises(ZineError, match="no English keyword"):
        parse_line(data, "test", "US", [])


def test_an_empty_name_mapping_is_an_error_not_a_crash():
    with pytest.raises(ZineError, match="field 'name'"):
        parse_line({**{"call": "(503) 555-0142", "hours": "24/7", "source": "https://example.org/",
                       "checked": "2026-11-20"}, "name": {}}, "test", "US", [])
