"""The evidence behind a directory line: two sites for every printed number, or low confidence said."""

import pytest
import yaml

from conftest import ROOT, run_cli
from zinepress.contacts import parse_line
from zinepress.errors import ZineError

BASE = {"name": "Test Line", "call": "(503) 555-0142", "hours": "24/7", "source": "https://service.example/",
        "checked": "2026-11-20"}
PAGE = {"url": "https://www.news.example/story", "checked": "2026-11-20", "supports": ["number"]}


def warnings_for(directory: bool = True, **fields) -> list[str]:
    warnings: list[str] = []
    parse_line({**BASE, **fields}, "XX.yaml: lines[1]", "US", warnings, directory=directory)
    return warnings


def test_a_number_only_its_own_site_shows_is_a_warning_in_the_directory():
    [warning] = warnings_for()
    assert "only one site (service.example)" in warning and "evidence" in warning


def test_a_second_site_that_shows_the_number_confirms_it():
    assert warnings_for(evidence=[PAGE]) == []


def test_a_page_of_the_same_site_or_one_that_shows_only_the_hours_does_not():
    same_site = {**PAGE, "url": "https://www.service.example/other"}
    hours_only = {**PAGE, "supports": ["hours"]}
    assert warnings_for(evidence=[same_site]) and warnings_for(evidence=[hours_only])


def test_a_community_s_own_line_needs_no_second_site():
    assert warnings_for(directory=False) == []


def test_low_confidence_is_reported_and_needs_a_reason():
    [warning] = warnings_for(confidence="low", confidence_note="hours conflict between two pages")
    assert "low confidence (hours conflict between two pages)" in warning and "--strict" in warning
    with pytest.raises(ZineError, match="confidence_note"):
        warnings_for(confidence="low")


def test_a_chat_only_line_is_confirmed_by_two_sites_showing_the_chat():
    chat_only = {key: value for key, value in BASE.items() if key != "call"}
    chat_only["chat"] = "https://service.example/chat"
    page = {**PAGE, "supports": ["chat"]}
    warnings: list[str] = []
    parse_line({**chat_only, "evidence": [page]}, "XX.yaml: lines[1]", "US", warnings, directory=True)
    assert warnings == []


@pytest.mark.parametrize("field, value, message", [
    ("kind", "hotline", "not a kind of line"),
    ("evidence", [{"url": "https://a.example/", "checked": "2026-11-20", "supports": ["everything"]}], "supports"),
    ("evidence", [{"url": "http://a.example/", "checked": "2026-11-20", "supports": ["number"]}], "https"),
    ("evidence", "https://a.example/", "is not a list"),
    ("confidence", "medium", "is not a confidence"),
])
def test_bad_evidence_fields_are_refused_naming_the_field(field, value, message):
    with pytest.raises(ZineError, match=message):
        warnings_for(**{field: value})


def test_plain_http_is_accepted_only_from_a_loopback_server_and_warned():
    warnings = warnings_for(source="http://127.0.0.1:8000/line", evidence=[PAGE])
    assert any("plain http" in warning for warning in warnings)
    with pytest.raises(ZineError, match="https"):
        warnings_for(source="http://service.example/")


def test_every_bundled_line_names_a_kind_and_two_sites_or_a_reason():
    for path in sorted((ROOT / "content" / "crisis-lines").glob("*.yaml")):
        for line in yaml.safe_load(path.read_text(encoding="utf-8")).get("lines") or []:
            where = f"{path.name}: {line['name']}"
            assert line.get("kind"), where
            sites = {line["source"].split("/")[2].removeprefix("www.")} | {
                page["url"].split("/")[2].removeprefix("www.") for page in line.get("evidence", [])
                if ("number" if line.get("call") or line.get("text") else "chat") in page["supports"]}
            assert len(sites) >= 2 or line.get("confidence") == "low", where


def test_check_strict_refuses_a_low_confidence_line(tmp_path):
    region = {"region": "US-ZZ", "name": "Test", "extends": "US",
              "lines": [{**BASE, "confidence": "low", "confidence_note": "one page only"}]}
    path = tmp_path / "zz.yaml"
    path.write_text(yaml.safe_dump(region), encoding="utf-8")
    assert run_cli("check", "--region", str(path), "--format", "card").returncode == 0
    strict = run_cli("check", "--strict", "--region", str(path), "--format", "card")
    assert strict.returncode == 1 and "low confidence (one page only)" in strict.stderr


def test_a_subdomain_is_the_same_site_as_its_parent():
    chat_page = {**PAGE, "url": "https://chat.service.example./help"}
    assert warnings_for(evidence=[chat_page])        # still only one site


def test_an_address_that_only_looks_local_is_refused():
    with pytest.raises(ZineError, match="https"):
        warnings_for(source="http://127.0.0.1:80@evil.example/line")
