"""Command-line mistakes and tampered outputs: one line each, the right exit status, no traceback."""

import json
import subprocess
import sys

import pytest

from conftest import CARD_ONLY, IN_SPANISH, ROOT, build_edition, run_cli, shared_edition


@pytest.mark.parametrize("args, says", [
    (["build", "--paper", "legal"], "argument --paper: invalid choice: 'legal'"),
    (["build", "--jobs", "abc"], "argument --jobs: invalid int value: 'abc'"),
    (["build", "--bogus"], "unrecognized arguments: --bogus"),
    (["explode"], "invalid choice: 'explode'"),
    (["list", "bogus"], "invalid choice: 'bogus'"),
    (["build", "--content", "~nouser-zinepress/x"], "cannot find that folder"),
])
def test_a_command_line_mistake_is_one_usage_line(args, says):
    result = run_cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith("usage error: ") and says in result.stderr


def test_a_reader_that_stops_early_is_no_error():
    """`make_zine.py list regions | head -2`: the listing stops quietly when head has read enough."""
    listing = subprocess.Popen([sys.executable, str(ROOT / "make_zine.py"), "list", "regions"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    listing.stdout.readline()
    listing.stdout.close()
    _, errors = listing.communicate(timeout=120)
    assert listing.returncode == 0 and b"Traceback" not in errors, errors.decode()


def test_help_still_prints_help():
    result = run_cli("build", "--help")
    assert result.returncode == 0 and "--shard K/N" in result.stdout


def test_a_phone_link_in_the_text_is_refused(content_copy, tmp_path):
    path = content_copy / "en.md"
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    body = body.replace("self-harmed.", "self-harmed. [call 988](tel:+19009761234)", 1)
    path.write_text(f"{front}\n---\n{body}", encoding="utf-8")
    result = run_cli("build", "--format", "onepager", "--content", str(content_copy), "--out", str(tmp_path))
    error = result.stderr.splitlines()[-1]
    assert result.returncode == 1 and "en.md:" in error and "phone link 'tel:+19009761234'" in error
    assert not list(tmp_path.glob("*/*/*.pdf"))


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    return shared_edition(tmp_path_factory, *CARD_ONLY), shared_edition(tmp_path_factory, *IN_SPANISH)


def test_preflight_fails_a_pdf_swapped_in_from_another_edition(two_editions, tmp_path):
    import shutil
    english, spanish = two_editions
    copy = tmp_path / "US-en"
    shutil.copytree(english, copy)
    shutil.copy(spanish / "card.pdf", copy / "card.pdf")
    result = run_cli("preflight", str(copy))
    row = next(line for line in result.stdout.splitlines() if "card.pdf" in line and "as built" in line)
    assert result.returncode == 1 and "FAIL" in row and "changed since the build" in row
    assert run_cli("preflight", str(english)).returncode == 0


@pytest.mark.parametrize("field, value", [("kind", "other"), ("format", "../card"), ("page_size", "big")])
def test_preflight_fails_a_manifest_entry_changed_by_hand(two_editions, tmp_path, field, value):
    import shutil
    copy = tmp_path / "US-en"
    shutil.copytree(two_editions[0], copy)
    data = json.loads((copy / "manifest.json").read_text())
    data["files"][0][field] = value
    (copy / "manifest.json").write_text(json.dumps(data))
    result = run_cli("preflight", str(copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "changed by hand" in result.stdout


@pytest.mark.parametrize("name, data, accepted", [
    ("notes.txt", b"just some notes\n", False),
    ("fake.png", b"not really a png", False),
    ("dot.png", bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                              "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"), True),
])
def test_an_image_must_be_an_image(content_copy, name, data, accepted):
    (content_copy / name).write_bytes(data)
    path = content_copy / "en.md"
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    body = body.replace("self-harmed.", f"self-harmed.\n\n![a small picture]({name})\n", 1)
    path.write_text(f"{front}\n---\n{body}", encoding="utf-8")
    result = run_cli("check", "--content", str(content_copy))
    assert (result.returncode == 0) is accepted, result.stderr
    if not accepted:
        assert f"'{name}' is not a PNG, JPEG, GIF, WebP or SVG image" in result.stderr.splitlines()[-1]


def test_an_out_folder_inside_the_sources_is_refused():
    result = run_cli("build", "--format", "card", "--out", "content/unpacking-self-harm/out")
    assert result.returncode == 2 and result.stderr.startswith("usage error: --out")
    assert not (build_edition.__globals__["ROOT"] / "content/unpacking-self-harm/out").exists()


@pytest.mark.parametrize("what", ["file", "symlink"])
def test_an_edition_folder_that_is_a_file_or_link_is_left_alone(tmp_path, what):
    parent = tmp_path / "out" / "unpacking-self-harm"
    parent.mkdir(parents=True)
    target = tmp_path / "elsewhere"
    target.mkdir()
    if what == "file":
        (parent / "US-en").write_text("not a folder")
    else:
        (parent / "US-en").symlink_to(target)
    result = run_cli("build", "--format", "card", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "cannot write there" in result.stderr.splitlines()[-1]
    assert sorted(p.name for p in parent.iterdir()) == ["US-en"] and not list(target.iterdir())


@pytest.mark.parametrize("field, value, says", [
    ("name", "\\u0301\\u0301\\u0301", "has no visible text"),
    ("name", "A" * 5000, "5000 characters long"),
    ("hours", "x" * 5000, "5000 characters long"),
    ("note", "Peer\\0run", "control character (U+0000)"),
    ("note", "Peer\\u2028run", "control character (U+2028)"),
])
def test_odd_text_in_a_line_is_one_short_line(tmp_path, field, value, says):
    fields = {"name": "Riverside Peer Warmline", "hours": "Every day", "note": "Peer-run"}
    fields[field] = value
    contacts = tmp_path / "ours.yaml"
    contacts.write_text("lines:\n  - " + "\n    ".join(f'{k}: "{v}"' for k, v in fields.items()) +
                        '\n    call: "(503) 555-0142"\n    source: https://example.org/w\n    checked: 2026-11-01\n',
                        encoding="utf-8")
    result = run_cli("build", "--format", "card", "--contacts", str(contacts), "--out", str(tmp_path / "out"))
    last = result.stderr.splitlines()[-1]
    assert result.returncode == 1 and "Traceback" not in result.stderr and says in last
    assert len(last) < 700 and ("ours.yaml" in last)
