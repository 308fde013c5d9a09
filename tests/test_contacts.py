"""Crisis-line data, without PDFs: numbers validated for their region, dates, sources."""

import datetime as dt

import pytest

from zinepress.contacts import parse_line, parse_number
from zinepress.errors import ZineError


def line(**fields) -> dict:
    base = {"name": "A line", "call": "988", "hours": "24/7", "source": "https://example.org",
            "checked": dt.date.today().isoformat()}
    return {**base, **fields}


def test_known_short_code_is_accepted_and_printed_as_dialled():
    number = parse_number("988", "here", "US")
    assert number.short and number.display == "988"


def test_full_number_keeps_its_grouping_and_gets_a_tel_link():
    number = parse_number("1-866-488-7386", "here", "US")
    assert number.display == "1-866-488-7386" and number.e164 == "+18664887386"


def test_bare_digits_are_grouped_the_region_s_way():
    assert parse_number("08001111", "here", "GB").display == "0800 1111"


@pytest.mark.parametrize("number", ["12345", "1-800-273-82", "not a number"])
def test_invalid_numbers_are_refused(number):
    with pytest.raises(ZineError, match="field 'call'"):
        parse_line(line(call=number), "US.yaml: lines[1]", "US", [])


def test_unknown_short_code_needs_a_declaration():
    with pytest.raises(ZineError):
        parse_number("14416", "here", "IN")
    assert parse_number({"number": "14416", "short": True}, "here", "IN").short


def test_text_keyword_must_be_one_word():
    with pytest.raises(ZineError, match="one word"):
        parse_line(line(text={"number": "741741", "keyword": "TEXT US"}), "x", "US", [])


def test_urls_must_be_https():
    with pytest.raises(ZineError, match="chat"):
        parse_line(line(chat="http://example.org/chat"), "x", "US", [])


def test_stale_check_is_a_warning_naming_the_field():
    warnings: list[str] = []
    parse_line(line(checked="2020-01-01"), "US.yaml: lines[1]", "US", warnings)
    assert len(warnings) == 1 and "checked" in warnings[0] and "US.yaml" in warnings[0]


def test_localized_fields_pick_the_language_then_english():
    parsed = parse_line(line(call="800 911 2000", hours={"en": "24/7", "es": "24 horas"}), "x", "MX", [])
    assert parsed.field("hours", "es") == "24 horas" and parsed.field("hours", "fr") == "24/7"
