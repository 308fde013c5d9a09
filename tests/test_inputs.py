"""Bad input ends in one clear line and a non-zero exit, and never costs an earlier output."""

import re
from pathlib import Path

import pytest

from conftest import CARD_ONLY, build_here, manifest, pdf_text, run_cli, shared_copy, shared_edition


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An earlier good build that every failing build below must leave untouched."""
    return shared_copy(tmp_path_factory, tmp_path_factory.mktemp("built") / "out")    # every format


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def fails_cleanly(out: Path, *args: str, status: int = 1) -> str:
    """Run a build that must fail; check one error line, the exit status, and that nothing changed."""
    before = snapshot(out)
    result = run_cli("build", "--out", str(out), "--format", "booklet", *args)
    errors = [line for line in result.stderr.splitlines() if not line.startswith(("warning:", "note:"))]
    assert result.returncode == status, result.stderr
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert snapshot(out) == before
    return errors[0]


def test_broken_contacts_yaml_names_file_and_line(built, tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text("lines:\n  - name: Our warmline\n    call: \"555\n    hours: [24/7\n")
    message = fails_cleanly(built, "--contacts", str(contacts))
    assert "ours.yaml:" in message and "YAML" in message


def test_broken_content_front_matter_names_file_and_line(built, content_copy):
    path = content_copy / "en.md"
    text = path.read_text().replace("title: unpacking self-harm", "title: [unpacking self-harm", 1)
    path.write_text(text)
    message = fails_cleanly(built, "--content", str(content_copy))
    # The title is on line 2; YAML notices the unclosed bracket where the next key starts.
    assert re.search(r"en\.md:[23]: YAML error", message), message


def test_unknown_region_lists_the_known_ones(built):
    message = fails_cleanly(built, "--region", "ZZ")
    assert "--region ZZ" in message and "unknown region" in message and "US" in message


def test_a_region_path_that_is_not_a_region_file_is_one_clear_error(built, tmp_path):
    # --region takes a path to your own region file; a file that is not one is refused, naming it.
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    message = fails_cleanly(built, "--region", str(passwd), status=1)
    assert "passwd" in message and "mapping" in message
    message = fails_cleanly(built, "--region", str(tmp_path / "missing.yaml"), status=1)
    assert "missing.yaml" in message and "no such file" in message


def test_remote_image_in_content_is_refused_with_its_line(built, content_copy):
    path = content_copy / "en.md"
    lines = path.read_text().splitlines()
    at = lines.index("## Research shows") + 1
    lines.insert(at, "![a chart](https://example.org/track.png)")
    path.write_text("\n".join(lines) + "\n")
    message = fails_cleanly(built, "--content", str(content_copy))
    assert f"en.md:{at + 1}" in message and "example.org" in message


def test_file_stylesheet_in_content_is_refused(built, content_copy):
    path = content_copy / "en.md"
    path.write_text(path.read_text() + '\n<link rel="stylesheet" href="file:///etc/passwd">\n')
    message = fails_cleanly(built, "--content", str(content_copy))
    assert "en.md:" in message and "HTML" in message


def test_missing_source_of_a_line_is_refused(built, tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text('lines:\n  - name: Our warmline\n    call: "(212) 555-0100"\n'
                        '    hours: 24/7\n    checked: 2026-11-01\n')
    message = fails_cleanly(built, "--contacts", str(contacts))
    assert "ours.yaml" in message and "source" in message


def test_contacts_line_comes_first(tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text('lines:\n  - name: Riverside Peer Warmline\n    call: "(212) 555-0100"\n'
                        '    hours: "Every day, 5pm-11pm"\n    source: https://example.org/warmline\n'
                        '    checked: 2026-11-01\n')
    folder = build_here(tmp_path / "out", "--format", "booklet", "--contacts", str(contacts))
    assert manifest(folder)["crisis_lines"][0]["name"] == "Riverside Peer Warmline"
    back = pdf_text(folder / "booklet-pages.pdf").split("If you need to talk")[-1]
    assert back.index("Riverside Peer Warmline") < back.index("988")
    assert "(212) 555-0100" in back


def test_unknown_format_and_language(built):
    assert "unknown format" in fails_cleanly(built, "--format", "scroll", status=2)
    assert "--lang xx" in fails_cleanly(built, "--lang", "xx")


@pytest.mark.parametrize("name", ["../layouts/booklet", "_shared", "/tmp"])
def test_format_name_cannot_point_outside_layouts(built, name):
    assert "--format" in fails_cleanly(built, "--format", name, status=2)


def test_a_check_date_in_the_future_is_refused(built, tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text('lines:\n  - name: Our warmline\n    call: "(503) 555-0142"\n    hours: 24/7\n'
                        '    source: https://example.org/w\n    checked: 2099-01-01\n')
    message = fails_cleanly(built, "--contacts", str(contacts))
    assert "field 'checked'" in message and "future" in message


def test_usage_error_exits_2():
    result = run_cli("build", "--paper", "legal")
    assert result.returncode == 2


def test_check_warns_about_sources_without_url():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "has no URL" in result.stderr


def test_strict_refuses_a_stale_line(tmp_path):
    contacts = tmp_path / "ours.yaml"
    contacts.write_text('lines:\n  - name: Old warmline\n    call: "(212) 555-0100"\n    hours: 24/7\n'
                        '    source: https://example.org/warmline\n    checked: 2023-01-15\n')
    assert run_cli("check", "--contacts", str(contacts)).returncode == 0
    result = run_cli("check", "--strict", "--contacts", str(contacts))
    assert result.returncode == 1
    assert "ours.yaml: lines[1] (Old warmline): field 'checked'" in result.stderr


def test_list_names_contents_regions_and_formats():
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    for word in ("unpacking-self-harm", "US", "988", "booklet"):
        assert word in result.stdout


def test_the_readme_contacts_example_is_valid(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = re.search(r"```yaml\n(lines:.*?)```", readme, re.S).group(1)
    contacts = tmp_path / "ours.yaml"
    contacts.write_text(example)
    result = run_cli("check", "--contacts", str(contacts))
    assert result.returncode == 0, result.stderr
    assert len(example.strip().splitlines()) <= 12     # "a few lines of YAML"


@pytest.mark.parametrize("link", ["[x](file:///etc/passwd)", "[y](javascript:alert(1))", "[z](ftp://example.org/a)"])
def test_links_that_cannot_be_followed_from_paper_are_refused(built, content_copy, link):
    path = content_copy / "en.md"
    front, body = path.read_text().split("\n---\n", 1)
    sentence = "It is very common and everyone knows someone who has self-harmed."
    path.write_text(f"{front}\n---\n{body.replace(sentence, f'{sentence} {link}', 1)}")
    line = f"{front}\n---\n{body}"[: len(front) + 5 + body.index(sentence)].count("\n") + 1
    message = fails_cleanly(built, "--content", str(content_copy))
    assert f"en.md:{line}" in message and "link" in message


def test_web_links_are_printed_with_their_address(content_copy, tmp_path):
    path = content_copy / "en.md"
    front, body = path.read_text().split("\n---\n", 1)
    sentence = "It is very common and everyone knows someone who has self-harmed."
    path.write_text(f"{front}\n---\n{body.replace(sentence, f'{sentence} [More](https://example.org/more)', 1)}")
    folder = build_here(tmp_path, "--content", str(content_copy), "--format", "booklet")
    assert "More (https://example.org/more)" in pdf_text(folder / "booklet-pages.pdf")


def test_an_unwritable_out_folder_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("build", "--format", "card", "--out", str(blocker))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot write there" in result.stderr.splitlines()[-1]


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path_factory):
    folder = shared_edition(tmp_path_factory, *CARD_ONLY)
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in folder.iterdir())


def test_an_interrupted_write_leaves_no_half_files_and_the_old_outputs(tmp_path, monkeypatch):
    from zinepress import atomic, output
    from zinepress.edition import Selection, build_edition as load_edition

    edition = load_edition(Selection())
    folder = tmp_path / "edition"
    folder.mkdir()
    (folder / "card.pdf").write_bytes(b"the earlier card")
    calls = []

    def interrupted(source, target):
        calls.append(target)
        raise KeyboardInterrupt     # the user pressed Ctrl-C while files were being renamed

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    from io import BytesIO
    from pypdf import PdfWriter
    blank = PdfWriter()
    blank.add_blank_page(252, 144)
    buffer = BytesIO()
    blank.write(buffer)
    new = output.OutputFile("card.pdf", format="card", kind="print", data=buffer.getvalue())
    with pytest.raises(KeyboardInterrupt):
        output.write_outputs(folder, edition, [new])
    assert calls and sorted(p.name for p in folder.iterdir()) == ["card.pdf"]
    assert (folder / "card.pdf").read_bytes() == b"the earlier card"
