"""Local lines a community group controls: many added lines, tabs, omit/replace, region files by path,
per-language keywords, and one folder per distinct build. Read from the PDFs as a reader would."""

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import IN_SPANISH, ROOT, manifest, pdf_text, run_cli, run_here, shared_edition, squash

OAKLAND = [{"name": f"Oakland Neighbour Line {n}", "call": f"(510) 555-01{10 + n}",
            "hours": "Weekdays 9am-5pm", "audience": "people in Oakland",
            "source": f"https://example.org/line{n}", "checked": "2026-11-20"} for n in range(1, 9)]
FORMATS = ("booklet", "minizine", "poster", "onepager", "card")


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def built_folder(out: Path) -> Path:
    folders = [path.parent for path in out.glob("*/*/manifest.json")]
    assert len(folders) == 1, folders
    return folders[0]


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.fixture(scope="module")
def eight_added(tmp_path_factory):
    """US-CA with eight lines of a group's own, every format."""
    tmp = tmp_path_factory.mktemp("eight")
    contacts = write(tmp / "oakland.yaml", {"lines": OAKLAND})
    result = run_cli("build", "--region", "US-CA", "--contacts", str(contacts), "--out", str(tmp / "out"))
    assert result.returncode == 0, result.stderr
    return built_folder(tmp / "out"), result


def test_eight_added_lines_build_every_format(eight_added):
    folder, _ = eight_added
    for name in FORMATS:
        assert (folder / f"{name}.pdf").is_file(), name


def test_the_card_keeps_the_primary_line_first(eight_added):
    folder, _ = eight_added
    back = squash(pdf_text(folder / "card-pages.pdf").split("If you need to talk", 1)[1])
    primary, first_own = back.find(squash("988 Suicide & Crisis Lifeline")), back.find(squash(OAKLAND[0]["name"]))
    assert 0 <= primary < first_own


def test_the_primary_line_is_on_the_covers(eight_added):
    folder, _ = eight_added
    for name in ("minizine", "booklet", "card"):
        from pypdf import PdfReader
        first = PdfReader(folder / f"{name}-pages.pdf").pages[0].extract_text()
        assert "988 Suicide & Crisis Lifeline" in first and "988" in digits_of(first), name


def test_left_out_lines_are_warned_per_format_and_the_manifest_says_what_each_file_prints(eight_added):
    folder, result = eight_added
    card_warning = [line for line in result.stderr.splitlines() if line.startswith("warning: card:")]
    assert card_warning and "Oakland Neighbour Line 8" in card_warning[0], result.stderr
    entries = {entry["file"]: entry for entry in manifest(folder)["files"]}
    for name in ("card-pages.pdf", "minizine-pages.pdf", "booklet-pages.pdf"):
        printed = squash(pdf_text(folder / name))
        listed = entries[name]["crisis_lines"]
        assert listed and all(squash(line) in printed for line in listed), name
        for line in OAKLAND:   # a line the manifest does not list for this file is not in it
            if line["name"] not in listed:
                assert squash(line["name"]) not in printed, (name, line["name"])


def test_every_number_on_the_booklet_back_is_from_the_data(eight_added):
    folder, _ = eight_added
    text = pdf_text(folder / "booklet-pages.pdf").split("If you need to talk")[-1]
    for line in OAKLAND[:6]:
        assert line["call"] in text, line["name"]


@pytest.fixture(scope="module")
def school_line(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("school")
    line = {"name": "Lincoln High Counselling", "call": "(503) 555-0142", "hours": "School days, 8:30am-4pm",
            "source": "https://example.org/school", "checked": "2026-11-20"}
    return tmp, line


def poster_tabs(tmp: Path, contacts: dict, name: str) -> str:
    path = write(tmp / f"{name}.yaml", contacts)
    out = tmp / f"out-{name}"
    result = run_here("build", "--format", "poster", "--contacts", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return pdf_text(built_folder(out) / "poster.pdf")


def test_tabs_pick_a_line_open_all_hours_by_default(school_line):
    tmp, line = school_line
    text = poster_tabs(tmp, {"lines": [line]}, "default")
    assert squash(text).count(squash("Lincoln High Counselling")) == 1      # in the list of lines, on no tab
    assert squash(text).count(squash("988 Suicide & Crisis Lifeline")) >= 8


def test_tabs_honour_a_choice_and_mix_two_lines(school_line):
    tmp, line = school_line
    text = poster_tabs(tmp, {"lines": [{**line, "show_on": ["tabs"]},
                                       {**line, "name": "Lincoln Evening Line", "call": "(503) 555-0143",
                                        "show_on": ["tabs"]}]}, "mixed")
    assert squash(text).count(squash("Lincoln High Counselling")) == 1 + 4
    assert squash(text).count(squash("Lincoln Evening Line")) == 1 + 4


def test_spanish_us_edition_prints_the_spanish_keyword_and_option(tmp_path_factory):
    data = yaml.safe_load((ROOT / "content/crisis-lines/US.yaml").read_text(encoding="utf-8"))
    keywords = [line["text"]["keyword"]["es"] for line in data["lines"]
                if isinstance(line.get("text"), dict) and isinstance(line["text"].get("keyword"), dict)]
    options = [line["options"]["es"] for line in data["lines"] if isinstance(line.get("options"), dict)]
    assert "AYUDA" in keywords and options, "US.yaml gives the Spanish keyword and dialling options"
    folder = shared_edition(tmp_path_factory, *IN_SPANISH)     # minizine, card and poster, among others
    for name in ("minizine-pages.pdf", "card-pages.pdf", "poster.pdf"):
        text = squash(pdf_text(folder / name))
        assert squash("AYUDA al 741741") in text and squash("HOME al 741741") not in text, name
        assert squash(options[0]) in text, (name, options[0])


def test_omit_leaves_a_region_line_out_and_the_primary_line_cannot_be_omitted(tmp_path):
    ours = {"name": "Our Warm Line", "call": "(503) 555-0142", "hours": "Evenings",
            "source": "https://example.org/", "checked": "2026-11-20"}
    path = write(tmp_path / "omit.yaml", {"lines": [ours], "omit": ["Trans Lifeline"]})
    result = run_here("build", "--format", "booklet", "--contacts", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(built_folder(tmp_path / "out") / "booklet-pages.pdf")
    assert "Our Warm Line" in text and "Trans Lifeline" not in text
    bad = write(tmp_path / "bad.yaml", {"lines": [ours], "omit": ["988 Suicide & Crisis Lifeline"]})
    refused = run_cli("check", "--contacts", str(bad))
    assert refused.returncode == 1 and "field 'omit'" in refused.stderr and "primary" in refused.stderr
    typo = write(tmp_path / "typo.yaml", {"lines": [ours], "omit": ["Trans Lifline"]})
    refused = run_cli("check", "--contacts", str(typo))
    assert refused.returncode == 1 and "did you mean 'Trans Lifeline'" in refused.stderr


def test_replace_prints_only_your_own_lines(tmp_path):
    ours = {"name": "Our Warm Line", "call": "(503) 555-0142", "hours": "24/7",
            "source": "https://example.org/", "checked": "2026-11-20"}
    path = write(tmp_path / "replace.yaml", {"lines": [ours], "replace": True})
    result = run_cli("build", "--format", "card", "--contacts", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(built_folder(tmp_path / "out") / "card-pages.pdf")
    assert "Our Warm Line" in text and "988 Suicide" not in text
    assert "replace" in result.stderr   # the user is told the region's lines are gone


def test_a_region_file_given_by_path_extends_a_bundled_region(tmp_path):
    region = {"region": "US-IL", "name": "Illinois", "extends": "US", "lines": [
        {"name": "Illinois Warm Line", "call": "(866) 359-7953", "hours": "Weekdays 8am-8pm",
         "source": "https://example.org/il", "checked": "2026-11-20",
         "evidence": [{"url": "https://example.com/il", "checked": "2026-11-20", "supports": ["number"]}]}]}
    path = write(tmp_path / "illinois.yaml", region)
    result = run_here("build", "--region", str(path), "--format", "minizine", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    folder = built_folder(tmp_path / "out")
    assert folder.name == "US-IL-en"
    text = pdf_text(folder / "minizine-pages.pdf")
    assert "Illinois Warm Line" in text and "(866) 359-7953" in text and "988" in text


def test_builds_with_different_contacts_or_paper_never_share_a_folder(tmp_path):
    line = {"name": "Our Warm Line", "call": "(503) 555-0142", "hours": "Evenings",
            "source": "https://example.org/", "checked": "2026-11-20"}
    first = write(tmp_path / "first.yaml", {"lines": [line]})
    (tmp_path / "other").mkdir()
    second = write(tmp_path / "other" / "first.yaml", {"lines": [{**line, "name": "Their Line"}]})
    out = tmp_path / "out"
    for args in ([], ["--contacts", str(first)], ["--contacts", str(second)], ["--paper", "a4"]):
        result = run_here("build", "--format", "card", "--out", str(out), *args)
        assert result.returncode == 0, result.stderr
    folders = sorted(path.parent.name for path in out.glob("*/*/manifest.json"))
    assert len(folders) == 4 and len(set(folders)) == 4, folders
    for folder in (path.parent for path in out.glob("*/*/manifest.json")):
        listed = {entry["file"] for entry in json.loads((folder / "manifest.json").read_text())["files"]}
        assert {path.name for path in folder.glob("*.pdf")} == listed


def test_check_predicts_a_format_that_cannot_hold_the_lines_marked_for_it(tmp_path):
    lines = [{"name": f"Card Line {n}", "call": f"(503) 555-01{40 + n}", "hours": "24/7", "show_on": ["card"],
              "source": "https://example.org/", "checked": "2026-11-20"} for n in range(4)]
    path = write(tmp_path / "many.yaml", {"lines": lines})
    result = run_cli("check", "--contacts", str(path))
    assert result.returncode == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "card" in error[0] and "holds 4" in error[0] and "Card Line 3" in error[0]


def test_lines_that_do_not_fit_even_at_the_smallest_size_are_left_out_one_by_one_with_a_warning(tmp_path):
    hours = "Mondays, Wednesdays and the first Saturday of each month, 10am to 1pm and 5pm to 8pm, except holidays"
    lines = [{"name": f"Long Hours Line {n}", "call": f"(503) 555-01{50 + n}", "hours": hours,
              "source": "https://example.org/", "checked": "2026-11-20"} for n in range(3)]
    path = write(tmp_path / "long.yaml", {"lines": lines})
    result = run_cli("build", "--format", "card", "--contacts", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "did not fit even at the smallest size" in line]
    assert len(warning) == 1 and "card" in warning[0], result.stderr
    folder = built_folder(tmp_path / "out")
    printed = manifest(folder)["files"][0]["crisis_lines"]
    text = squash(pdf_text(folder / "card-pages.pdf"))
    assert printed[0] == "988 Suicide & Crisis Lifeline" and len(printed) < 4
    for line in lines:
        assert (squash(line["name"]) in text) == (line["name"] in printed), line["name"]
        assert (line["name"] in warning[0]) == (line["name"] not in printed), line["name"]


def test_replace_needs_lines_and_does_not_take_omit(tmp_path):
    empty = write(tmp_path / "empty.yaml", {"lines": [], "omit": ["Trans Lifeline"], "replace": True})
    result = run_cli("check", "--contacts", str(empty))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "replace" in result.stderr


def test_lines_marked_for_the_tabs_do_not_stop_a_card(tmp_path):
    lines = [{"name": f"Tab Line {n}", "call": f"(503) 555-01{60 + n}", "hours": "24/7", "show_on": ["tabs"],
              "source": "https://example.org/", "checked": "2026-11-20"} for n in range(4)]
    path = write(tmp_path / "tabs.yaml", {"lines": lines})
    result = run_cli("build", "--format", "card", "--contacts", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    refused = run_cli("check", "--format", "poster", "--contacts", str(path))
    assert refused.returncode == 1 and "at most 3" in refused.stderr


def test_strict_refuses_a_line_left_out_while_building_and_writes_nothing(tmp_path):
    hours = "Mondays, Wednesdays and the first Saturday of each month, 10am to 1pm and 5pm to 8pm, except holidays"
    lines = [{"name": f"Long Hours Line {n}", "call": f"(503) 555-01{50 + n}", "hours": hours,
              "source": "https://example.org/", "checked": "2026-11-20"} for n in range(3)]
    path = write(tmp_path / "long.yaml", {"lines": lines})
    result = run_cli("build", "--strict", "--format", "card", "--contacts", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "did not fit" in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))
