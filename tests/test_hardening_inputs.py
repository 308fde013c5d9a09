"""Issue 15, input validation: every number that reaches paper is checked against the validated
number, and every bad input file (undecodable, unreadable, missing, an impossible date) ends in one
line naming the file and line or field and what to do, exit status 1, and no traceback."""

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CARD_ONLY, copy_project, run_cli, run_project, shared_copy

TODAY = dt.date.today().isoformat()


def entry(call: str | None = '"(503) 555-0142"', *, name: str = "Riverside Peer Warmline",
          extra: str = "", checked: str = TODAY) -> str:
    """One contacts line as YAML, its fields indented under '  - '."""
    call_line = f"    call: {call}\n" if call is not None else ""
    return (f"  - name: {name}\n{call_line}{extra}    hours: 24/7\n"
            f"    source: https://example.org/warmline\n    checked: {checked}\n")


def contacts(folder: Path, *entries: str, data: bytes | None = None) -> Path:
    """A contacts file in `folder`: the entries under `lines:`, or exactly `data`."""
    path = folder / "ours.yaml"
    path.write_bytes(data if data is not None else ("lines:\n" + "".join(entries)).encode())
    return path


def check(*args: str) -> subprocess.CompletedProcess:
    return run_cli("check", "--format", "card", *args)


def accepted_or_refused_at(result: subprocess.CompletedProcess, accepted: bool, where: str) -> None:
    """The input was accepted, or refused with the one error line naming `where`."""
    if accepted:
        assert result.returncode == 0, result.stderr
    else:
        assert where in one_error(result)


def never_built(tmp_path: Path, call: str) -> None:
    """A line whose `call:` is refused stops the build before any PDF is written."""
    path = contacts(tmp_path, entry(call))
    one_error(run_cli("build", "--format", "card", "--out", str(tmp_path / "out"), "--contacts", str(path)))
    assert not list((tmp_path / "out").rglob("*.pdf"))


def one_error(result: subprocess.CompletedProcess, status: int = 1) -> str:
    """The run failed with `status` and exactly one 'error:' line (warnings and notes aside), no traceback."""
    lines = [line for line in result.stderr.splitlines() if not line.startswith(("warning:", "note:"))]
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def warnings_of(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


# 1. A display must show the validated number's digits. -------------------------------------------

DISPLAYS = [   # (region, number, display, accepted)
    ("US", "(503) 555-0142", "503-555-0142", True),
    ("US", "(503) 555-0142", "1 (503) 555-0142", True),             # with the trunk prefix / country code
    ("US", "(503) 555-0142", "+1 503 555 0142", True),
    ("US", "(503) 555-0142", "(503) 555-0142 (Riverside)", False),  # words go in 'note'
    ("US", "(503) 555-0142", "٥٠٣ ٥٥٥ ٠١٤٢", False),               # the same digits in Arabic-Indic: ASCII only
    ("US", "(503) 555-0142", "(５０３) ５５５-０１４２", False),       # ...and full-width
    ("US", "(503) 555-0142", "1-900-555-0199", False),              # the case
    ("US", "(503) 555-0142", "(503) 555-0143", False),              # one digit off
    ("US", "(503) 555-0142", "(503) 555-014", False),               # one digit short
    ("US", "(503) 555-0142", "(503) 555-01422", False),             # one digit more
    ("US", "(503) 555-0142", "503 555 0142, press 2", False),       # extra digits belong in 'note'
    ("US", "(503) 555-0142", "1-503-555-SAFE", False),              # letters are not digits
    ("US", "(503) 555-0142", "(503) 555-014②", False),              # a numeral that is not a digit
    ("US", "(503) 555-0142", "٥٠٣ ٥٥٥ ٠١٤٣", False),               # Arabic-Indic, one digit off
    ("US", "(503) 555-0142", "", False),
    ("US", "988", "9-8-8", True),                                     # a short code
    ("US", "988", "988 then 1", False),
    ("GB", "020 7946 0018", "+44 20 7946 0018", True),
    ("GB", "020 7946 0018", "+44 (0)20 7946 0018", True),
    ("GB", "020 7946 0018", "20 7946 0018", True),                   # the national significant number
    ("GB", "020 7946 0018", "0044 20 7946 0018", False),             # an international prefix is not shown
    ("GB", "020 7946 0018", "+44 20 7946 0019", False),
    ("GB", "0800 1111", "0800 11 11", True),
]


@pytest.mark.parametrize("region, number, display, accepted", DISPLAYS)
def test_a_call_display_must_show_the_number_s_digits(tmp_path, region, number, display, accepted):
    path = contacts(tmp_path, entry(f'{{number: "{number}", display: "{display}"}}'))
    result = check("--region", region, "--contacts", str(path))
    if accepted:
        assert result.returncode == 0, result.stderr
        return
    message = one_error(result)
    assert "ours.yaml: lines[1] (Riverside Peer Warmline): field 'call.display'" in message
    assert "same number as 'number'" in message or "write the digits 0-9" in message


@pytest.mark.parametrize("display, accepted", [("741-741", True), ("741 742", False)])
def test_a_text_display_must_show_the_number_s_digits(tmp_path, display, accepted):
    text = f'    text: {{number: "741741", keyword: HOME, display: "{display}"}}\n'
    result = check("--contacts", str(contacts(tmp_path, entry(None, name="Our text line", extra=text))))
    accepted_or_refused_at(result, accepted, "(Our text line): field 'text.display'")


def test_a_refused_display_never_reaches_a_build(tmp_path):
    never_built(tmp_path, '{number: "(503) 555-0142", display: "1-900-555-0199"}')


@pytest.mark.parametrize("display, accepted", [("9-8-8", True), ("9-8-9", False)])
def test_a_directory_display_is_checked_too(tmp_path, display, accepted):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "CA.yaml"
    text = path.read_text()
    assert 'call: {number: "988", display: "9-8-8"}' in text
    path.write_text(text.replace('display: "9-8-8"}', f'display: "{display}"}}', 1))
    result = run_project(project, "check", "--region", "CA", "--format", "card")
    if accepted:
        assert result.returncode == 0, result.stderr
    else:
        assert "content/crisis-lines/CA.yaml: lines[1] (9-8-8: Suicide Crisis Helpline): field 'call.display'" \
            in one_error(result)


@pytest.mark.parametrize("display, accepted", [
    ("999 or 112", True),            # every number shown is an emergency number of GB
    ("999 (police, fire, ambulance)", True),
    ("999 or 111", False),           # 111 is NHS 111, not an emergency number
    ("112", False),                  # the display must show the number itself
])
def test_an_emergency_display_may_name_only_emergency_numbers(tmp_path, display, accepted):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "GB.yaml"
    emergency = f'emergency: {{number: "999", display: "{display}"}}'
    path.write_text(path.read_text().replace('emergency: "999"', emergency))
    result = run_project(project, "check", "--region", "GB", "--format", "card")
    accepted_or_refused_at(result, accepted, "GB.yaml: field 'emergency.display'")


# 2. Numbers must belong to the line's region. -----------------------------------------------------

REGIONS = [   # (edition region, call, line's region or None, refused with this text, or None)
    ("US", "+44 20 7946 0018", None, "is a number in GB, not US"),
    ("US", "+44 20 7946 0018", "GB", None),
    ("US", "02079460018", "GB", None),
    ("US", "02079460018", "gb", None),
    ("US", "1-416-555-0199", None, "is a number in CA, not US"),
    ("US", "1-416-555-0199", "CA", None),
    ("US", "+52 55 5259 8121", None, "is a number in MX, not US"),
    ("GB", "+1 503 555 0142", None, "is a number in US, not GB"),
    ("US-CA", "+44 20 7946 0018", None, "is a number in GB, not US"),
    ("CA", "1-800-668-6868", None, None),              # toll-free numbers are shared across NANP
    ("US", "+44 20 7946 0018", "US", "is a number in GB, not US"),
    ("US", "+44 20 7946 0018", "FR", "is a number in GB, not FR"),
]


@pytest.mark.parametrize("region, call, own, refused", REGIONS)
def test_a_number_must_belong_to_the_edition_s_region_or_the_one_the_line_names(
        tmp_path, region, call, own, refused):
    extra = f'    region: "{own}"\n' if own else ""
    result = check("--region", region, "--contacts", str(contacts(tmp_path, entry(f'"{call}"', extra=extra))))
    if refused is None:
        assert result.returncode == 0, result.stderr
        return
    message = one_error(result)
    assert "ours.yaml: lines[1] (Riverside Peer Warmline): field 'call'" in message and refused in message
    if own is None:
        assert f"add 'region: {refused.split()[4].rstrip(',')}'" in message


@pytest.mark.parametrize("value, shown", [('"ZZ"', "'ZZ'"), ("NO", "False"), ("44", "44"), ('""', "''"),
                                          ("[GB]", "['GB']")])
def test_a_line_s_region_must_be_a_region_code(tmp_path, value, shown):
    path = contacts(tmp_path, entry(extra=f"    region: {value}\n"))
    message = one_error(check("--contacts", str(path)))
    assert f"field 'region': {shown}" in message and "two-letter code" in message


def test_a_line_for_another_region_prints_its_country_code():
    from zinepress.contacts import parse_line
    item = {"name": "London line", "call": "02079460018", "region": "GB", "hours": "24/7",
            "source": "https://example.org", "checked": TODAY}
    assert parse_line(item, "x", "US", []).call.display == "+44 20 7946 0018"
    assert parse_line({**item, "call": "020 7946 0018"}, "x", "US", []).call.display == "+44 20 7946 0018"
    assert parse_line({**item, "call": "+44 (20) 7946-0018"}, "x", "US", []).call.display == "+44 (20) 7946-0018"
    assert parse_line({**item, "region": None}, "x", "GB", []).call.display == "020 7946 0018"


@pytest.mark.parametrize("number, problem", [
    ('{number: "+44 116 123", short: true}', "not a short code"),         # a country code
    ('{number: "1234 5678 90", short: true}', "not a short code"),        # a full number declared short
    ("5035550142", "not in quotes"),                                       # YAML made it an integer...
    ("05035550142", "read it as 678875234"),                               # ...or octal
    ("988", "not in quotes"),
])
def test_numbers_that_skip_validation_are_refused(tmp_path, number, problem):
    message = one_error(check("--contacts", str(contacts(tmp_path, entry(number)))))
    assert "field 'call'" in message and problem in message


# 3. Repeated lines are a warning naming both places. ----------------------------------------------

REPEATS = [   # (entries, the places the warning names, or None when there is no repeat)
    ([entry(name="988 Suicide & Crisis Lifeline")],
     ("ours.yaml: lines[1] (988 Suicide & Crisis Lifeline)",
      "US.yaml: lines[1] (988 Suicide & Crisis Lifeline)")),
    ([entry('"988"', name="Our crisis line")],
     ("ours.yaml: lines[1] (Our crisis line)", "US.yaml: lines[1] (988 Suicide & Crisis Lifeline)")),
    ([entry('"(866) 488-7386"', name="LGBTQ youth line")],      # the Trevor Project's number, grouped otherwise
     ("ours.yaml: lines[1] (LGBTQ youth line)", "US.yaml: lines[4] (The Trevor Project)")),
    ([entry(None, name="Text us", extra='    text: {number: "741741", keyword: HOME}\n')],
     ("ours.yaml: lines[1] (Text us)", "US.yaml: lines[3] (Crisis Text Line)")),
    ([entry(), entry()],
     ("ours.yaml: lines[1] (Riverside Peer Warmline)", "ours.yaml: lines[2] (Riverside Peer Warmline)")),
    ([entry(), entry('"503.555.0142"', name="RIVERSIDE peer-warmline")],
     ("ours.yaml: lines[1] (Riverside Peer Warmline)", "ours.yaml: lines[2] (RIVERSIDE peer-warmline)")),
    ([entry(), entry('"503.555.0142"', name="Riverside Spanish line")],
     ("ours.yaml: lines[1] (Riverside Peer Warmline)", "ours.yaml: lines[2] (Riverside Spanish line)")),
    ([entry('"988"', name="Our line", extra='    text: "(503) 555-0142"\n')], None),   # its own text number
    ([entry('"(503) 555-0143"')], None),
]


@pytest.mark.parametrize("entries, places", REPEATS)
def test_a_repeated_line_is_a_warning_naming_both_and_strict_refuses_it(tmp_path, entries, places):
    path = contacts(tmp_path, *entries)
    result = check("--contacts", str(path))
    assert result.returncode == 0, result.stderr
    repeats = [line for line in warnings_of(result) if "same line" in line]
    if places is None:
        assert not repeats, result.stderr
        assert check("--strict", "--contacts", str(path)).returncode == 0
        return
    assert len(repeats) == 1, result.stderr
    assert all(place in repeats[0] for place in places), repeats[0]
    assert "remove one of them" in repeats[0]
    assert "--strict" in one_error(check("--strict", "--contacts", str(path)))


def test_a_sub_region_repeating_its_parent_is_a_warning(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "US-CA.yaml"
    path.write_text(path.read_text() + entry('"1-877-565-8860"', name="Trans Lifeline"))
    result = run_project(project, "check", "--region", "US-CA", "--format", "card")
    both = "US.yaml: lines[5] (Trans Lifeline) and content/crisis-lines/US-CA.yaml: lines[2] (Trans Lifeline)"
    assert any(both in line for line in warnings_of(result)), result.stderr


def test_lines_that_share_a_number_but_not_their_other_ways_are_not_repeats():
    from zinepress.contacts import load_region
    from zinepress.edition import repeated_lines
    lines = load_region("US", []).lines
    assert lines[0].call.key == lines[1].call.key == "988"     # the Lifeline and the Veterans Crisis Line
    assert repeated_lines(lines) == []
    assert len(repeated_lines(lines + lines[:1])) == 1


# 4. A community line must not dial the emergency number. ------------------------------------------

@pytest.mark.parametrize("region, field, number, refused", [
    ("US", "call", '"911"', True),
    ("US", "call", '"9-1-1"', True),
    ("US", "text", '"911"', True),
    ("US", "call", '"112"', True),            # also an emergency number in the US
    ("GB", "call", '"999"', True),
    ("GB", "call", '"112"', True),
    ("NZ", "call", '"111"', True),
    ("US-CA", "call", '"911"', True),          # the sub-region's emergency number is its parent's
    ("GB", "call", '"111"', False),           # NHS 111 is not an emergency number
    ("US", "call", '"988"', False),
])
def test_a_community_line_dialling_the_emergency_number_is_refused(tmp_path, region, field, number, refused):
    line = entry(number) if field == "call" else entry(None, extra=f"    text: {number}\n")
    result = check("--region", region, "--contacts", str(contacts(tmp_path, line)))
    if not refused:
        assert result.returncode == 0, result.stderr
        return
    message = one_error(result)
    assert f"ours.yaml: lines[1] (Riverside Peer Warmline): field '{field}'" in message
    assert "emergency number" in message and "remove this line" in message


# 5. Files that are not UTF-8, unreadable, or missing. ---------------------------------------------

@pytest.mark.parametrize("data, line", [
    ("lines:\n  - name: Café line\n".encode("latin-1"), 2),
    ("lines:\n  - name: Café line\n".encode("utf-16"), 1),
    (b"lines:\n  - name: X\n    note: \"\xff\xfe\"\n", 3),
    (b"\x00\x9f" * 10, 1),
])
def test_a_contacts_file_that_is_not_utf8_is_one_line(tmp_path, data, line):
    message = one_error(check("--contacts", str(contacts(tmp_path, data=data))))
    assert f"ours.yaml:{line}: not UTF-8 text" in message and "save it as UTF-8" in message


def test_a_utf8_contacts_file_with_a_byte_order_mark_and_crlf_line_ends_is_read(tmp_path):
    text = ("lines:\n" + entry()).replace("\n", "\r\n")
    result = check("--contacts", str(contacts(tmp_path, data=b"\xef\xbb\xbf" + text.encode())))
    assert result.returncode == 0, result.stderr


def test_content_that_is_not_utf8_is_one_line(content_copy):
    path = content_copy / "en.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace("e", "é", 1)
    path.write_bytes("".join(lines).encode("latin-1", errors="replace"))
    message = one_error(check("--content", str(content_copy)))
    assert f"{path}:7: not UTF-8 text" in message and "save it as UTF-8" in message


@pytest.mark.parametrize("file, args", [
    ("content/strings/es.yaml", ("--region", "MX")),
    ("content/strings/en.yaml", ()),
    ("content/crisis-lines/GB.yaml", ("--region", "GB")),
    ("content/crisis-lines/US.yaml", ("--region", "US-CA")),     # the region a sub-region extends
])
def test_a_strings_or_crisis_line_file_that_is_not_utf8_is_one_line(tmp_path, file, args):
    project = copy_project(tmp_path / "project")
    path = project / file
    path.write_bytes(path.read_bytes().replace(b"\n", "\n# caf\u00e9\n".encode("latin-1"), 1))
    message = one_error(run_project(project, "check", "--format", "card", *args))
    assert f"{file}:2: not UTF-8 text" in message and "save it as UTF-8" in message


@pytest.mark.parametrize("file, args, problem", [
    ("content/strings/es.yaml", ("--region", "MX"), "content/strings/es.yaml: is a folder, not a file"),
    ("content/strings/en.yaml", (), "content/strings/en.yaml: is a folder, not a file"),
    ("content/crisis-lines/GB.yaml", ("--region", "GB"), "content/crisis-lines/GB.yaml: is a folder"),
    ("content/unpacking-self-harm/en.md", ("--lang", "en"), "--lang en: unpacking-self-harm has no text"),
])
def test_a_folder_where_an_input_file_should_be_is_one_line(tmp_path, file, args, problem):
    project = copy_project(tmp_path / "project")
    (project / file).unlink()
    (project / file).mkdir()
    assert problem in one_error(run_project(project, "check", "--format", "card", *args))


@pytest.mark.parametrize("folder, problem", [
    ("content/strings", "content/strings/en.yaml: no such file"),
    ("content/crisis-lines", "unknown region; choose one of (none: restore the folder content/crisis-lines)"),
])
def test_a_missing_data_folder_is_one_line(tmp_path, folder, problem):
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / folder)
    assert problem in one_error(run_project(project, "check", "--format", "card"))


def test_missing_content_and_contacts_are_one_line(tmp_path):
    assert "no such content folder" in one_error(check("--content", str(tmp_path / "gone")))
    assert "no such file" in one_error(check("--contacts", str(tmp_path / "gone.yaml")))
    (tmp_path / "folder.yaml").mkdir()
    message = one_error(check("--contacts", str(tmp_path / "folder.yaml")))
    assert "folder.yaml: is a folder, not a file" in message


@pytest.mark.parametrize("error, problem", [(PermissionError(13, "Permission denied"), "permission denied"),
                                            (OSError(5, "Input/output error"), "Input/output error")])
def test_an_unreadable_contacts_file_is_one_line(tmp_path, monkeypatch, capsys, error, problem):
    # Tests run as root, who may read any file: the refusal is simulated in-process.
    from zinepress import cli
    monkeypatch.setattr(cli.signal, "signal", lambda *_: None)    # main() would take over SIGTERM
    path = contacts(tmp_path, entry())
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise error
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert cli.main(["check", "--format", "card", "--contacts", str(path)]) == 1
    stderr = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("note:")]
    assert len(stderr) == 1 and stderr[0].startswith(f"error: {path}: cannot read it ({problem})"), stderr


# 6. Impossible dates, and other values YAML cannot construct. --------------------------------------

@pytest.mark.parametrize("value, problem", [
    ("2026-13-45", "month must be in 1..12"),
    ("2026-02-30", "day is out of range for month"),
    ("2025-02-29", "day is out of range for month"),
    ("0000-01-01", "year 0 is out of range"),
    ("2026-02-30T10:00:00", "day is out of range for month"),
])
def test_an_impossible_unquoted_date_names_file_and_line(tmp_path, value, problem):
    path = contacts(tmp_path, entry(), entry(name="Second line", checked=value))
    message = one_error(check("--contacts", str(path)))
    assert f"ours.yaml:11: {value} is not a real date ({problem})" in message
    assert "write a real date as YYYY-MM-DD" in message


def test_the_line_is_the_unquoted_date_s_not_a_quoted_one_before_it(tmp_path):
    path = contacts(tmp_path, entry(extra='    note: "2026-13-45"\n', checked="2026-13-45"))
    assert "ours.yaml:7: 2026-13-45 is not a real date" in one_error(check("--contacts", str(path)))


@pytest.mark.parametrize("checked, accepted", [('"2026-13-45"', False), ("2026-01-01T10:00:00", True),
                                               ('"not yet"', False), (f'"{TODAY}"', True), ("[]", False)])
def test_other_checked_values(tmp_path, checked, accepted):
    result = check("--contacts", str(contacts(tmp_path, entry(checked=checked))))
    if accepted:
        assert result.returncode == 0, result.stderr
    else:
        message = one_error(result)
        assert "field 'checked'" in message and "YYYY-MM-DD" in message


def test_an_impossible_date_in_content_front_matter_names_its_line(content_copy):
    path = content_copy / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id:", "  - date: 2026-02-30\n    id:", 1), encoding="utf-8")
    line = text[: text.index("  - id:")].count("\n") + 1
    message = one_error(check("--content", str(content_copy)))
    assert f"en.md:{line}: 2026-02-30 is not a real date" in message and "YYYY-MM-DD" in message


def test_a_real_unquoted_source_date_is_accepted(content_copy):
    path = content_copy / "en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id:", "  - date: 2026-02-03\n    id:", 1))
    result = check("--content", str(content_copy))
    assert result.returncode == 0, result.stderr


def test_an_impossible_date_in_a_crisis_line_file_names_its_line(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "GB.yaml"
    text = path.read_text()
    first = re.search(r"checked: \d{4}-\d{2}-\d{2}", text)
    path.write_text(text[:first.start()] + "checked: 2026-11-31" + text[first.end():])
    line = text[: first.start()].count("\n") + 1
    message = one_error(run_project(project, "check", "--region", "GB", "--format", "card"))
    assert f"content/crisis-lines/GB.yaml:{line}: 2026-11-31 is not a real date" in message


# Hostile contacts files: whatever they hold, a clean result. ---------------------------------------

HOSTILE = [
    "", "lines:\n", "just text\n", "- just a string\n", "lines: {a: b}\n", "lines: [null]\n", "[[[[[]]]]]\n",
    "[" * 5000 + "]" * 5000 + "\n", "a: &x [*x]\n", "lines: &x [*x]\n", "? [a]\n: b\n", "x: \x01\n",
    "lines:\n\t- name: tab\n", "x: !!python/object:os.system 'ls'\n", "x: !!float abc\n", "x: !!int 12x\n",
    "x: !!binary '%%%'\n", "x: !!timestamp 'soon'\n",
    "lines:\n" + entry("[1, 2]"), "lines:\n" + entry("{number: [1]}"), "lines:\n" + entry("true"),
    "lines:\n" + entry("1.5"), "lines:\n" + entry('{number: "(503) 555-0142", display: [1, 2]}'),
    "lines:\n" + entry('{number: "(503) 555-0142", display: 5035550142}'),
    "lines:\n" + entry('{number: "(503) 555-0142", short: "yes"}'), "lines:\n" + entry('{}'),
    "lines:\n" + entry('""'), "lines:\n" + entry('"   "'), "lines:\n" + entry('"+"'),
    "lines:\n" + entry('"+999"'),
    "lines:\n" + entry(extra="    text: {keyword: 5}\n"), "lines:\n" + entry(extra="    text: {keyword: HI}\n"),
    "lines:\n" + entry(extra="    languages: {a: b}\n"), "lines:\n" + entry(extra="    cost: [free]\n"),
    "lines:\n" + entry(extra="    chat: 42\n"), "lines:\n" + entry(name="{a: b}"),
    "lines:\n" + entry(name="[]"),
    "lines:\n" + entry(checked="99999"), "lines:\n" + entry(checked="2026-01-01 25:61:61"),
    "lines:\n" + entry(extra="    region: null\n"), "lines:\n" + entry(extra="    region: {a: b}\n"),
    "lines:\n" + entry('"(503) 555-0142 x99"'), "lines:\n" + entry('"1-800-273-TALK"'),
    "lines:\n" + entry('"٥٠٣ ٥٥٥ ٠١٤٢"'), "lines:\n" + entry('"(503) 555-0142\\u0000"'),
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_no_contacts_file_makes_a_traceback(tmp_path, text):
    result = check("--contacts", str(contacts(tmp_path, data=text.encode())))
    if result.returncode != 0:
        assert "ours.yaml" in one_error(result)


# 7. Preflight on a damaged PDF reports a failed check. ---------------------------------------------

@pytest.fixture(scope="module")
def card(tmp_path_factory) -> Path:
    out = shared_copy(tmp_path_factory, tmp_path_factory.mktemp("card") / "out", *CARD_ONLY)
    return out / "unpacking-self-harm" / "US-en"


def preflight_failed(result: subprocess.CompletedProcess) -> str:
    """Preflight exited 1 with one 'error:' line and no traceback (pypdf may log its repairs)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(errors) == 1, result.stderr
    return errors[0]


def damaged(card: Path, data: bytes) -> subprocess.CompletedProcess:
    """Preflight the edition with card.pdf replaced by `data`, then put the good file back."""
    good = (card / "card.pdf").read_bytes()
    try:
        (card / "card.pdf").write_bytes(data)
        return run_cli("preflight", str(card))
    finally:
        (card / "card.pdf").write_bytes(good)


@pytest.mark.parametrize("how", ["truncated", "half", "empty", "garbage", "text", "header only",
                                 "no startxref", "no media box"])
def test_preflight_reports_a_damaged_pdf_as_a_failed_check(card, how):
    good = (card / "card.pdf").read_bytes()
    # The last two are files a PDF library could repair or fill in (a rebuilt cross-reference table, a
    # made-up Letter page): preflight must not.
    data = {"truncated": good[:-40], "half": good[: len(good) // 2], "empty": b"",
            "garbage": bytes(range(256)) * 20, "text": b"not a pdf\n", "header only": b"%PDF-1.7\n%%EOF\n",
            "no startxref": good.replace(b"startxref", b"startxreg"),
            "no media box": good.replace(b"/MediaBox", b"/MediaBax")}[how]
    assert data != good
    result = damaged(card, data)
    # Two failed checks: not the bytes the build checked, and not readable.
    assert "preflight: 2 of" in preflight_failed(result)
    assert re.search(r"card\.pdf\s+as built\s+FAIL", result.stdout), result.stdout
    assert re.search(r"card\.pdf\s+readable\s+FAIL\s+(not a readable PDF|damaged: )", result.stdout), result.stdout


def test_preflight_reports_a_damaged_object_as_a_failed_check(card):
    good = (card / "card.pdf").read_bytes()
    # Same length, so the cross-reference table still holds: a font descriptor becomes a bare number.
    data = re.sub(rb"/FontDescriptor (\d+) 0 R", lambda m: b"/FontDescriptor " + m.group(1) + b"    ", good)
    assert data != good and len(data) == len(good)
    result = damaged(card, data)
    assert "preflight: 2 of" in preflight_failed(result)
    assert re.search(r"card\.pdf\s+as built\s+FAIL", result.stdout), result.stdout
    assert re.search(r"card\.pdf\s+(?!as built)\S.*FAIL", result.stdout), result.stdout


def test_preflight_fails_a_file_with_other_pages_than_were_built(card):
    """A page lost or added since the build (a repair that dropped one) is a failed check on its own."""
    path = card / "manifest.json"
    original = path.read_text(encoding="utf-8")
    manifest = json.loads(original)
    entry = next(e for e in manifest["files"] if e["file"] == "card.pdf")
    entry["pages"] += 1
    try:
        path.write_text(json.dumps(manifest), encoding="utf-8")
        result = run_cli("preflight", str(card))
    finally:
        path.write_text(original, encoding="utf-8")
    assert "preflight: 1 of" in preflight_failed(result)
    assert re.search(rf"card\.pdf\s+page size\s+FAIL\s+{entry['pages'] - 1} pages, not the {entry['pages']} built",
                     result.stdout), result.stdout


# A translation must keep the placeholders: a lost {number} would drop the emergency number. --------

@pytest.mark.parametrize("text, accepted", [
    ("En caso de emergencia, llama al {number}.", True),
    ("En caso de emergencia, llama.", False),                  # the number would not be printed
    ("En caso de emergencia, llama al {numero}.", False),
    ("En caso de emergencia, llama al {number.real}.", False),
    ("En caso de emergencia, llama al {number:d}.", False),
    ("En caso de emergencia, llama al {number.", False),
    ("Llama al {number} o al {number}.", False),
])
def test_a_translated_string_keeps_its_placeholders(tmp_path, text, accepted):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "strings" / "es.yaml"
    lines = [f'emergency: "{text}"' if line.startswith("emergency:") else line
             for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    result = run_project(project, "check", "--region", "MX", "--format", "card")
    if accepted:
        assert result.returncode == 0, result.stderr
    else:
        message = one_error(result)
        assert "content/strings/es.yaml: field 'emergency'" in message and "keep {number}" in message


def test_regions_that_extend_each_other_in_a_circle_are_one_line(monkeypatch, tmp_path):
    from zinepress import contacts
    from zinepress.errors import ZineError

    for code, parent in (("XA", "XB"), ("XB", "XA")):
        (tmp_path / f"{code}.yaml").write_text(f"region: {code}\nname: Loop\nextends: {parent}\n", encoding="utf-8")
    monkeypatch.setattr(contacts, "CRISIS_LINES_DIR", tmp_path)
    with pytest.raises(ZineError) as caught:
        contacts.load_region("XA", [])
    assert "XA -> XB -> XA" in caught.value.line() and "field 'extends'" in caught.value.line()


def test_a_misspelt_field_warns_with_the_closest_known_one(tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text("""lines:
  - name: Riverside Peer Warmline
    call: {number: "(503) 555-0142", dispaly: "503 555 0142"}
    hours: "Every day, 5pm-11pm"
    notes: "Peer-run."
    source: https://example.org/warmline
    checked: 2026-11-01
""", encoding="utf-8")
    result = run_cli("check", "--format", "card", "--contacts", str(contacts))
    assert result.returncode == 0, result.stderr
    assert "unknown field 'notes' is ignored; did you mean 'note'?" in result.stderr
    assert "field 'call': unknown field 'dispaly' is ignored; did you mean 'display'?" in result.stderr
    strict = run_cli("check", "--format", "card", "--contacts", str(contacts), "--strict")
    assert strict.returncode == 1 and strict.stderr.splitlines()[-1].startswith("error: --strict")


# Adversarial inputs (round 2): only validated digits reach paper. ----------------------------------

@pytest.mark.parametrize("call, accepted", [
    ('"(503) 555-0142 / x 999"', False),        # text after the number was printed as written
    ('"Call now: (503) 555-0142"', False),      # ...and before it
    ('"Call now (503) 555-0142"', False),       # letters are read off the keypad, and then do not match
    ('"(503) 555-0142 x99"', False),            # an extension
    ('"503 555 0142!"', False),
    ('"503 +555 0142"', False),                 # '+' only before the country code
    ('"503.555.0142"', True),
    ('"+1 (503) 555-0142"', True),
])
def test_text_around_a_number_is_refused(tmp_path, call, accepted):
    result = check("--contacts", str(contacts(tmp_path, entry(call))))
    accepted_or_refused_at(result, accepted, "ours.yaml: lines[1] (Riverside Peer Warmline): field 'call'")


def test_text_around_a_number_never_reaches_a_build(tmp_path):
    never_built(tmp_path, '"(503) 555-0142 / x 999"')


@pytest.mark.parametrize("field, value", [
    ("call", '"\\u202e(503) 555-0142"'), ("call", '"(503)\\u200b 555-0142"'), ("call", '"\\ufeff988"'),
    ("call.display", '{number: "(503) 555-0142", display: "\\u202e2410-555 )305("}'),
    ("call.display", '{number: "(503) 555-0142", display: "\\u2066(503) 555-0142\\u2069"}'),
    ("call.display", '{number: "(503) 555-0142", display: "\\u200f(503) 555-0142"}'),
])
def test_bidi_and_format_characters_in_a_number_are_refused(tmp_path, field, value):
    message = one_error(check("--contacts", str(contacts(tmp_path, entry(value)))))
    assert f"(Riverside Peer Warmline): field '{field}'" in message and "invisible formatting" in message


@pytest.mark.parametrize("keyword, accepted", [
    ('"\\u202eEMOH"', False), ('"HO\\u200bME"', False), ('"911"', False), ("HELP1", False), ('"---"', False),
    ("HOME", True), ("AIDE", True),
])
def test_a_keyword_is_a_word_without_digits_or_format_characters(tmp_path, keyword, accepted):
    text = f'    text: {{number: "741741", keyword: {keyword}}}\n'
    result = check("--contacts", str(contacts(tmp_path, entry(None, name="Our text line", extra=text))))
    accepted_or_refused_at(result, accepted, "(Our text line): field 'text.keyword'")


@pytest.mark.parametrize("name", ['"\\u200b\\u200d"', '"\\ufeff \\u200e"', '"   "', '"\\u202e988 Lifeline"'])
def test_a_name_with_nothing_visible_or_a_bidi_override_is_refused(tmp_path, name):
    assert "ours.yaml: lines[1]: field 'name'" in one_error(check("--contacts", str(contacts(tmp_path, entry(name=name)))))


@pytest.mark.parametrize("call, accepted", [
    ('"1-800-273-TALK"', True),
    ('{number: "1-800-273-TALK", display: "1 (800) 273-8255"}', True),
    ('{number: "1-800-273-8255", display: "1-800-273-TALK"}', True),
    ('{number: "1-800-273-TALK", display: "1-800-273-HELP"}', False),    # other digits
    ('{number: "1-800-273-TALK", display: "1-800-273"}', False),         # digits dropped
    ('{number: "1-800-273-TALK", display: "1-800-273-TALK-NOW"}', False),
])
def test_a_vanity_number_s_letters_must_be_its_digits(tmp_path, call, accepted):
    result = check("--contacts", str(contacts(tmp_path, entry(call))))
    accepted_or_refused_at(result, accepted, "field 'call.display'")


@pytest.mark.parametrize("call, field", [
    ('"৫০৩ ৫৫৫ ০১৪২"', "call"), ('"(５０３) ５５５-０１４２"', "call"), ('"٥٠٣ ٥٥٥ ٠١٤٢"', "call"),
    ('"（503） 555-0142"', "call"), ('"＋1 503 555 0142"', "call"),
    ('{number: "(503) 555-0142", display: "٥٠٣ ٥٥٥ ٠١٤٢"}', "call.display"),
    ('{number: "(503) 555-0142", display: "（503） 555-0142"}', "call.display"),
])
def test_digits_and_brackets_must_be_ascii(tmp_path, call, field):
    message = one_error(check("--contacts", str(contacts(tmp_path, entry(call)))))
    assert f"(Riverside Peer Warmline): field '{field}'" in message and "ASCII" in message


@pytest.mark.parametrize("emergency, accepted", [
    ('"(503) 555-0142"', False), ('"988"', False), ('"911"', True), ('"112"', True),
])
def test_a_region_s_emergency_number_must_be_one(tmp_path, emergency, accepted):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "US.yaml"
    path.write_text(path.read_text().replace('emergency: "911"', f"emergency: {emergency}"))
    result = run_project(project, "check", "--region", "US", "--format", "card")
    if accepted:
        assert result.returncode == 0, result.stderr
    else:
        assert "US.yaml: field 'emergency'" in one_error(result) and "not an emergency number" in result.stderr


@pytest.mark.parametrize("code", sorted(p.stem for p in (Path(__file__).parent.parent / "content"
                                                         / "crisis-lines").glob("*.yaml")))
def test_every_shipped_region_passes_the_strict_checks(code):
    result = run_cli("check", "--format", "card", "--region", code, "--strict")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("extends, problem", [
    ("ZZ", "unknown region ZZ"), ("[US]", "['US'] is not a region code"),
    ('"../../x"', "'../../x' is not a region code"), ("42", "42 is not a region code"),
])
def test_a_bad_extends_names_the_region_file(tmp_path, extends, problem):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "crisis-lines" / "US-CA.yaml"
    path.write_text(path.read_text().replace("extends: US", f"extends: {extends}"))
    message = one_error(run_project(project, "check", "--region", "US-CA", "--format", "card"))
    assert "content/crisis-lines/US-CA.yaml: field 'extends'" in message and problem in message


def test_a_region_path_that_does_not_exist_is_one_clear_error():
    # --region takes a path to your own region file (issue 11); a missing one is named, with the fix.
    from zinepress.contacts import load_region
    from zinepress.errors import ZineError
    with pytest.raises(ZineError, match=r"--region \.\./\.\./x: no such file"):
        load_region("../../x", [])


@pytest.mark.parametrize("hours, field", [
    ("{en: null}", "hours.en"), ("{en: [1, 2]}", "hours.en"), ("{es: {a: b}}", "hours.es"),
    ("{en: true}", "hours.en"), ("[24/7]", "hours"), ("{5: x}", "hours"),
])
def test_a_localized_text_must_be_text(tmp_path, hours, field):
    path = contacts(tmp_path, entry().replace("hours: 24/7", f"hours: {hours}"))
    assert f"(Riverside Peer Warmline): field '{field}'" in one_error(check("--contacts", str(path)))


def test_a_localized_number_is_read_as_text():
    from zinepress.contacts import localized
    assert localized({"en": 24, "es": "24 horas"}, "x: field 'hours'") == {"en": "24", "es": "24 horas"}


@pytest.mark.parametrize("languages, accepted", [
    ("{en: 1}", False), ("5", False), ("[[en]]", False), ("[null]", False), ('"../x"', False),
    ("en", True), ("[en, es]", True),
])
def test_a_line_s_languages_must_be_language_codes(tmp_path, languages, accepted):
    result = check("--contacts", str(contacts(tmp_path, entry(extra=f"    languages: {languages}\n"))))
    accepted_or_refused_at(result, accepted, "(Riverside Peer Warmline): field 'languages'")


def test_a_region_s_single_language_is_a_list_of_one(monkeypatch, tmp_path):
    from zinepress import contacts as module
    text = (Path(__file__).parent.parent / "content" / "crisis-lines" / "GB.yaml").read_text(encoding="utf-8")
    assert "languages: [en]" in text
    (tmp_path / "GB.yaml").write_text(text.replace("languages: [en]", "languages: en", 1), encoding="utf-8")
    monkeypatch.setattr(module, "CRISIS_LINES_DIR", tmp_path)
    assert module.load_region("GB", []).languages == ("en",)
    (tmp_path / "GB.yaml").write_text(text.replace("languages: [en]", "languages: [[en]]", 1), encoding="utf-8")
    with pytest.raises(module.ZineError, match="GB.yaml: field 'languages'"):
        module.load_region("GB", [])


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    path = contacts(tmp_path, entry().replace("    hours:", '    call: "(503) 555-0143"\n    hours:'))
    message = one_error(check("--contacts", str(path)))
    assert "ours.yaml:4: YAML error: the key 'call' is given twice (also on line 3)" in message


def test_yaml_aliases_are_refused_quickly(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n" for a, b in zip("abcd", "bcde")) + "lines: [*e]\n"
    path = contacts(tmp_path, data=bomb.encode())
    started = dt.datetime.now()
    message = one_error(check("--contacts", str(path)))
    assert (dt.datetime.now() - started).total_seconds() < 30
    assert "ours.yaml:2: YAML error: YAML anchors and aliases are not allowed in zinepress data files" in message


def test_an_alias_in_content_front_matter_is_refused(content_copy):
    path = content_copy / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n", "\nx: &x [1]\ny: *x\n", 1), encoding="utf-8")
    assert "en.md:3: YAML error: YAML anchors and aliases" in one_error(check("--content", str(content_copy)))


def test_a_device_as_contacts_is_one_line():
    assert "/dev/zero: is not a regular file" in one_error(check("--contacts", "/dev/zero"))


def test_a_fifo_as_contacts_is_one_line_and_does_not_hang(tmp_path):
    import os
    import sys
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "make_zine.py"), "check",
                             "--format", "card", "--contacts", str(fifo)],
                            capture_output=True, text=True, timeout=60)
    assert "pipe.yaml: is not a regular file" in one_error(result)


def test_an_oversized_contacts_file_is_one_line(tmp_path):
    path = contacts(tmp_path, data=("lines:\n" + entry()).encode() + b"# padding\n" * 120_000)
    assert "ours.yaml: is too large" in one_error(check("--contacts", str(path)))


@pytest.mark.parametrize("language, accepted", [("../../etc", False), ("es", False), ("[en]", False),
                                                ("en", True)])
def test_front_matter_language_must_be_the_file_s(content_copy, language, accepted):
    path = content_copy / "en.md"
    text = path.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    path.write_text(text.replace("\nlanguage: en\n", f"\nlanguage: {language}\n", 1), encoding="utf-8")
    result = check("--content", str(content_copy))
    accepted_or_refused_at(result, accepted, "en.md: field 'language'")


def test_a_key_given_twice_in_front_matter_names_both_lines_of_the_file(content_copy):
    path = content_copy / "en.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle:")
    path.write_text(text.replace("\n", "\ntitle: again\n", 1), encoding="utf-8")
    message = one_error(check("--content", str(content_copy)))
    assert "en.md:3: YAML error: the key 'title' is given twice (also on line 2)" in message


@pytest.mark.parametrize("key, text", [
    ("emergency", "In an emergency, call for help."),          # the number would be printed nowhere
    ("emergency", "Call {number!r}."),
    ("emergency", "Call {number.__class__}."),
    ("emergency", "Call {number:>30}."),
    ("emergency", "Call {nmber}."),
    ("emergency", "In an emergency, call 112 or {number}."),   # digits beside the validated number
    ("call", "Call 1-800"),
    ("text_keyword", "Text {keyword} to {number} or 741741"),
    ("text_keyword", "Text {number}"),                         # the keyword lost
    ("checked", "checked {date[0]}"),
    ("crisis_heading", "If you need to talk {number}"),          # a field no layout fills
])
def test_the_english_strings_cannot_change_or_drop_a_number(tmp_path, key, text):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "strings" / "en.yaml"
    lines = [f'{key}: "{text}"' if line.startswith(f"{key}:") else line for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    result = run_project(project, "check", "--region", "GB", "--format", "card")
    message = one_error(result)
    assert f"content/strings/en.yaml: field '{key}'" in message and "internal error" not in message


def test_a_string_deleted_from_english_is_one_line(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "content" / "strings" / "en.yaml"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("call:")) + "\n")
    result = run_project(project, "build", "--region", "GB", "--format", "card", "--out", str(tmp_path / "out"))
    message = one_error(result)
    assert "content/strings/en.yaml: no string 'call'" in message and "internal error" not in message
