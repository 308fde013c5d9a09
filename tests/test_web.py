"""`make_zine.py serve` with plain HTTP requests: the safety points (address, Host header, files only from
manifests, form values never paths, size limits, malformed uploads, one folder per build) and the
gallery the command line writes at the end of every build."""

import datetime as dt
import http.client
import json
import re
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import yaml
from conftest import pdfium_text, run_cli, run_here, squash

from zinepress.cli import parser
from zinepress.web import server as web_server

TODAY = dt.date.today().isoformat()
LINE = {"name": "Riverside Peer Warmline", "call": "(503) 555-0142", "text": "", "keyword": "",
        "hours": "Every day, 5pm-11pm", "languages": "en, es", "source": "https://example.org/warmline",
        "checked": TODAY, "extra": ""}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """An output folder holding one edition built with the command line (mini zine only)."""
    folder = tmp_path_factory.mktemp("web") / "out"
    result = run_here("build", "--format", "minizine", "--quiet", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def app(out):
    """The app serving `out` on 127.0.0.1 and a free port, in a thread."""
    server, url = web_server.start("127.0.0.1", 0, out)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, url
    server.shutdown()
    server.server_close()


def request(app, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """One raw request (the path is sent exactly as given): (status, headers, body)."""
    server, _ = app
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in {**sent, "Content-Length": str(len(body or b""))}.items():
        connection.putheader(name, value)
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def post_form(app, path: str, fields: list[tuple[str, str]]):
    body = urllib.parse.urlencode(fields).encode()
    return request(app, "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def build_fields(lines: list[dict], **choices) -> list[tuple[str, str]]:
    fields = [("content", "unpacking-self-harm"), ("region", "US"), ("lang", ""), ("paper", ""),
              ("format", "minizine")]
    fields = [(name, choices.get(name, value)) for name, value in fields]
    return fields + [(f"line-{key}", value) for line in lines for key, value in line.items()]


def wait_for(app, status_url: str) -> dict:
    """Poll a build's status until it has finished (bounded: a build that never ends fails the test)."""
    for _ in range(600):
        status, _, body = request(app, "GET", status_url)
        assert status == 200
        state = json.loads(body)
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError(f"build {status_url} did not finish")


def pdf_text(path: Path) -> str:
    return pdfium_text(path)


# --- the address it serves ------------------------------------------------------------------------------

def test_serve_binds_to_this_computer_only_by_default():
    args = parser().parse_args(["serve"])
    assert (args.host, args.port, args.out) == ("127.0.0.1", 8000, Path("out"))


def test_another_host_is_served_with_a_warning(monkeypatch, capsys, tmp_path):
    class Server:
        port = 8123
        app = None

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            pass

    monkeypatch.setattr(web_server, "start", lambda host, port, out: (Server(), "http://127.0.0.1:8123/"))
    monkeypatch.setattr(web_server, "stop_builds", lambda server: None)
    web_server.serve("0.0.0.0", 8123, tmp_path)
    assert "warning: --host 0.0.0.0" in capsys.readouterr().err
    web_server.serve("127.0.0.1", 8123, tmp_path)
    assert "warning" not in capsys.readouterr().err


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert result.stderr.startswith(f"error: --host 127.0.0.1 --port {port}: cannot listen there")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example:{port}",
                                  "127.0.0.1:1", ""])
def test_a_request_for_another_host_name_is_refused(app, host):
    """DNS rebinding: a page on another domain that resolves to 127.0.0.1 sends its own name as Host."""
    server, _ = app
    status, _, _ = request(app, "GET", "/", headers={"Host": host.format(port=server.port)})
    assert status == 400


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_served_address_is_answered(app, host):
    server, _ = app
    status, headers, body = request(app, "GET", "/", headers={"Host": host.format(port=server.port)})
    assert status == 200 and b"<label for=\"region\">Region</label>" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_a_post_from_another_site_is_refused(app):
    status, _, _ = request(app, "POST", "/lines.yaml", b"", {"Origin": "https://evil.example"})
    assert status == 403
    status, _, _ = request(app, "POST", "/lines.yaml", b"", {"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    status, _, _ = request(app, "POST", "/lines.yaml", b"", {"Origin": "null"})
    assert status == 403
    status, _, _ = request(app, "POST", "/lines.yaml", b"", {"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert status == 200


# --- files only from manifests --------------------------------------------------------------------------

def test_a_listed_file_is_served_as_it_is_on_disk(app, out):
    folder = out / "unpacking-self-harm" / "US-en"
    status, headers, body = request(app, "GET", "/files/unpacking-self-harm/US-en/minizine.pdf")
    assert status == 200 and body == (folder / "minizine.pdf").read_bytes()
    assert headers["Content-Type"] == "application/pdf"
    assert 'filename=minizine.pdf' in headers["Content-Disposition"]


@pytest.mark.parametrize("path", [
    "/files/../../pyproject.toml", "/files/unpacking-self-harm/US-en/../../../pyproject.toml",
    "/files/%2e%2e/%2e%2e/pyproject.toml", "/files//etc/passwd", "/files/%2Fetc%2Fpasswd",
    "/files/unpacking-self-harm/US-en/manifest.json", "/files/unpacking-self-harm/US-en/unlisted.pdf",
    "/files/unpacking-self-harm/US-en/", "/thumbnails/../../pyproject.toml", "/zip/../unpacking-self-harm",
    "/zip//etc", "/static/../../pyproject.toml", "/build/../../pyproject.toml/result",
])
def test_anything_but_a_listed_file_is_not_found(app, out, path):
    (out / "unpacking-self-harm" / "US-en" / "unlisted.pdf").write_bytes(b"%PDF-1.4 not listed")
    status, _, body = request(app, "GET", path)
    assert status == 404, body
    assert b"root:" not in body and b"[project]" not in body


def test_a_manifest_naming_a_path_serves_nothing(app, out, tmp_path):
    folder = out / "hand" / "made"
    folder.mkdir(parents=True, exist_ok=True)
    secret = out / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    entries = [{"file": name, "kind": "print"} for name in ("../../secret.pdf", str(secret), ".hidden.pdf")]
    (folder / "manifest.json").write_text(json.dumps({"files": entries}), encoding="utf-8")
    for name in ("../../secret.pdf", urllib.parse.quote(str(secret), safe=""), ".hidden.pdf"):
        status, _, body = request(app, "GET", f"/files/hand/made/{name}")
        assert status == 404 and b"secret" not in body


def test_the_zip_holds_the_edition_and_its_manifest(app, out):
    import io
    import zipfile

    status, headers, body = request(app, "GET", "/zip/unpacking-self-harm/US-en")
    assert status == 200 and "unpacking-self-harm-US-en.zip" in headers["Content-Disposition"]
    manifest = json.loads((out / "unpacking-self-harm" / "US-en" / "manifest.json").read_text(encoding="utf-8"))
    archive = zipfile.ZipFile(io.BytesIO(body))
    expected = {f"unpacking-self-harm-US-en/{entry['file']}" for entry in manifest["files"]}
    assert set(archive.namelist()) == expected | {"unpacking-self-harm-US-en/manifest.json"}
    assert archive.read("unpacking-self-harm-US-en/minizine.pdf") == \
        (out / "unpacking-self-harm" / "US-en" / "minizine.pdf").read_bytes()


# --- form values are checked against the lists, never used as paths --------------------------------------

@pytest.mark.parametrize("field, value", [
    ("region", "../../etc"), ("region", "XX"), ("content", "/etc"), ("content", "../content"),
    ("content", "crisis-lines"), ("format", "../../layouts/_shared"), ("format", "_shared"),
    ("lang", "../../strings/en"), ("lang", "xx"), ("paper", "legal"),
])
def test_a_value_not_offered_is_refused_by_name(app, out, field, value):
    before = sorted(path for path in out.rglob("*"))
    status, _, body = post_form(app, "/build", build_fields([], **{field: value}))
    message = json.loads(body)["message"]
    label = {"lang": "Language", "format": "Formats"}.get(field, field.capitalize())
    assert status == 400 and message.startswith(f"error: {label}: ") and "\n" not in message
    assert sorted(path for path in out.rglob("*")) == before


def test_a_build_with_no_format_is_refused(app):
    fields = [(name, value) for name, value in build_fields([]) if name != "format"]
    status, _, body = post_form(app, "/build", fields)
    assert status == 400 and "Formats" in json.loads(body)["message"]


def test_an_invalid_line_is_named_by_row_and_field_with_the_command_line_s_message(app, out, tmp_path):
    lines = [LINE, {**LINE, "name": "Second line", "call": "(503) 555-014"},
             {**LINE, "name": "Third line", "source": "http://example.org", "call": "(503) 555-0143"}]
    status, _, body = post_form(app, "/build", build_fields(lines))
    answer = json.loads(body)
    assert status == 422
    assert [(e["row"], e["field"]) for e in answer["errors"]] == [(1, "call"), (2, "source")]
    assert "(503) 555-014" in answer["errors"][0]["message"]
    # The same file given to the command line gives the same first error.
    contacts = tmp_path / "contacts.yaml"
    status, _, yaml_text = post_form(app, "/lines.yaml", build_fields(lines))
    contacts.write_bytes(yaml_text)
    cli = run_cli("check", "--format", "minizine", "--contacts", str(contacts))
    assert cli.returncode == 1
    printed = next(line for line in cli.stderr.splitlines() if line.startswith("error: "))
    assert answer["message"].startswith("error: ") and "lines[2] (Second line): field 'call'" in printed
    assert answer["message"].split(": lines[", 1)[1] == printed.split(": lines[", 1)[1]
    assert not any((out / "web").glob("*/contacts.yaml")), "a refused build leaves no folder"


# --- lines files: download, upload, limits -------------------------------------------------------------

def test_downloaded_lines_are_a_contacts_file_the_command_line_accepts(app, tmp_path):
    extra = json.dumps({"chat": "https://example.org/chat", "note": "Peer-run."})
    status, headers, body = post_form(app, "/lines.yaml", build_fields([{**LINE, "extra": extra}]))
    assert status == 200 and 'filename="lines.yaml"' in headers["Content-Disposition"]
    data = yaml.safe_load(body)
    line = data["lines"][0]
    assert line["call"] == "(503) 555-0142" and line["languages"] == ["en", "es"]
    assert line["chat"] == "https://example.org/chat" and line["note"] == "Peer-run."
    contacts = tmp_path / "lines.yaml"
    contacts.write_bytes(body)
    cli = run_cli("check", "--format", "minizine", "--contacts", str(contacts))
    assert cli.returncode == 0, cli.stderr


def upload(app, content: bytes, filename: str = "lines.yaml", region: str = "US"):
    boundary = "zinepressboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"region\"\r\n\r\n{region}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/yaml\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = request(app, "POST", "/lines/upload", body,
                                {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return status, json.loads(answer)


def test_an_uploaded_file_fills_the_rows_keeping_what_the_form_does_not_show(app):
    text = ("omit: []\nlines:\n  - name: Riverside Peer Warmline\n    call: {number: \"(503) 555-0142\", "
            "display: \"503-555-0142\"}\n    text: {number: \"(503) 555-0143\", keyword: HELLO}\n"
            "    hours: {en: Evenings, es: Por la tarde}\n    languages: [en, es]\n    chat: https://example.org/c\n"
            f"    source: https://example.org/warmline\n    checked: {TODAY}\n")
    status, answer = upload(app, text.encode())
    assert status == 200, answer
    row = answer["rows"][0]
    assert row["values"] == {"name": "Riverside Peer Warmline", "call": "(503) 555-0142", "text": "(503) 555-0143",
                             "keyword": "HELLO", "hours": "Evenings", "languages": "en, es",
                             "source": "https://example.org/warmline", "checked": TODAY}
    extra = json.loads(row["extra"])
    assert extra["call"] == {"display": "503-555-0142"} and extra["chat"] == "https://example.org/c"
    assert extra["hours"]["es"] == "Por la tarde"
    assert json.loads(answer["settings"]) == {"omit": []}
    assert answer["errors"] == []


def test_a_file_uploaded_and_downloaded_again_is_the_same_lines(app):
    """What the form does not show (other languages, a display, chat, omit:) comes back unchanged."""
    original = {"omit": ["Trans Lifeline"], "lines": [
        {"name": {"en": "Riverside Peer Warmline", "es": "Línea de apoyo de Riverside"},
         "call": {"number": "(503) 555-0142", "display": "503-555-0142"},
         "text": {"number": "(503) 555-0143", "keyword": {"en": "HELLO", "es": "HOLA"}},
         "chat": "https://example.org/chat", "hours": {"en": "Evenings", "es": "Por la tarde"},
         "languages": ["en", "es"], "note": "Peer-run.", "source": "https://example.org/warmline",
         "checked": TODAY},
        {"name": "Second line", "call": "(503) 555-0178", "hours": "24/7", "source": "https://example.org/2",
         "checked": TODAY}]}
    status, answer = upload(app, yaml.safe_dump(original, allow_unicode=True).encode())
    assert status == 200, answer
    fields = build_fields([{**row["values"], "extra": row["extra"]} for row in answer["rows"]])
    status, _, body = post_form(app, "/lines.yaml", fields + [("lines-settings", answer["settings"])])
    assert status == 200
    again = yaml.safe_load(body)
    for line in again["lines"]:
        line["checked"] = str(line["checked"])
    assert again == original


@pytest.mark.parametrize("content, expected", [
    (b"lines:\n  - name: [unclosed\n", r"^error: lines\.yaml:\d+: YAML error"),
    (b"lines:\n  - name: A\n\xff\xfe\n", r"^error: lines\.yaml:3: not UTF-8 text"),
    (b"just some text\n", r"^error: lines\.yaml: field 'lines': no list of lines"),
    (b"- 12\n", r"^error: lines\.yaml: lines\[1\]: expected a mapping"),
    (b"- name: A\n  call: 0477131114\n", r"^error: lines\.yaml: lines\[1\]: field 'call': the number is not in quotes"),
    (b"- name: A\n  text: {number: '741741', keyword: yes}\n", r"field 'text.keyword': True is not a text"),
    (b"- name: A\n  call: '988'\n" * 51, r"at most 50"),
    (b"# " + b"x" * 70_000 + b"\n", r"too large"),
])
def test_a_malformed_upload_is_one_clear_line(app, content, expected):
    status, answer = upload(app, content)
    assert status == 422 and re.search(expected, answer["message"]), answer
    assert "\n" not in answer["message"]


def test_an_uploaded_file_name_is_never_a_path(app):
    status, answer = upload(app, b"- 12\n", filename="../../etc/passwd")
    assert status == 422 and answer["message"].startswith("error: passwd: lines[1]")


def test_a_request_over_the_size_limit_is_refused_with_a_clear_message(app):
    status, answer = upload(app, b"#" * 300_000)
    assert status == 413 and "too large" in answer["message"]


# --- builds ----------------------------------------------------------------------------------------------

def test_two_builds_at_once_keep_their_own_folders_and_lines(app, out):
    """Two tabs building at once: each build's files carry its own line only."""
    numbers = {"Warmline A": "(503) 555-0142", "Warmline B": "(503) 555-0178"}
    started = []
    for name, number in numbers.items():
        status, _, body = post_form(app, "/build", build_fields([{**LINE, "name": name, "call": number}]))
        assert status == 202, body
        started.append(json.loads(body))
    assert started[0]["id"] != started[1]["id"]
    for (name, number), build in zip(numbers.items(), started):
        state = wait_for(app, build["status"])
        assert state["state"] == "done", state
        folders = list((out / "web" / build["id"]).glob("*/*/manifest.json"))
        assert len(folders) == 1
        text = squash(pdf_text(folders[0].parent / "minizine-pages.pdf"))
        other = next(n for n in numbers.values() if n != number)
        assert squash(number) in text and squash(other) not in text
        assert squash(name) in text


def test_a_failed_build_says_the_command_line_s_line(app, out, monkeypatch):
    from zinepress.web import builds

    def broken(job):
        from zinepress.errors import ZineError
        raise ZineError("content/unpacking-self-harm/en.md:3", "a made-up problem", "fix it")

    monkeypatch.setattr(builds, "load_job", broken)
    status, _, body = post_form(app, "/build", build_fields([]))
    assert status == 202
    state = wait_for(app, json.loads(body)["status"])
    assert state["state"] == "failed"
    assert state["message"] == "error: content/unpacking-self-harm/en.md:3: a made-up problem; fix it"
    assert not (out / "web" / json.loads(body)["id"]).exists()


@pytest.mark.parametrize("variants", [[], ["--grayscale"], ["--bleed"], ["--grayscale", "--bleed"]])
def test_the_page_asks_for_the_job_the_command_line_would(variants):
    from zinepress.commands import build_jobs
    from zinepress.web.app import job_for
    from zinepress.web.choices import Request

    args = parser().parse_args(["build", "--region", "US", "--format", "minizine", "--contacts", "mine.yaml",
                                *variants])
    asked = Request("unpacking-self-harm", "US", None, None, ("minizine",),
                    grayscale="--grayscale" in variants, bleed="--bleed" in variants)
    assert job_for(asked, Path("mine.yaml")) == build_jobs(args)[0]


def test_progress_names_the_format_being_made():
    from zinepress.batch import Job
    from zinepress.edition import Selection
    from zinepress.web.builds import Build, WebProgress

    build = Build("20260101-000000-abcdef", Path("unused"), Job(Selection(), {}, ("minizine", "card")))
    progress = WebProgress(build)
    progress.start(2)
    progress.task_started("US-en", "card")
    assert build.status()["step"] == "making the card" and build.status()["total"] == 2
    progress.task_done("US-en", "card", 1.0, None)
    progress.task_started("US-en", "minizine")
    assert build.status()["step"] == "making the minizine" and build.status()["done"] == 1


# --- the gallery -------------------------------------------------------------------------------------------

def test_the_command_line_writes_a_gallery_that_works_without_a_server(out):
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "unpacking-self-harm" / "US-en" / "manifest.json").read_text(encoding="utf-8"))
    prints = [entry for entry in manifest["files"] if entry["kind"] == "print"]
    assert prints
    for entry in prints:
        link = f'href="unpacking-self-harm/US-en/{entry["file"]}"'
        assert link in index and (out / "unpacking-self-harm" / "US-en" / entry["file"]).is_file()
        thumbnail = re.search(rf'<img src="([^"]+)" alt="first page of {re.escape(entry["file"])}"', index)
        assert thumbnail and (out / thumbnail[1]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        ink = entry.get("ink_coverage")   # absent without Ghostscript
        assert (f"toner {ink['total']:.1f} % of the page" if ink else "toner not measured") in index
    oldest = min(line["checked"] for line in manifest["crisis_lines"])
    assert f"lines checked {oldest}" in index
    assert "<script" not in index and "http://" not in index


def test_the_server_shows_the_same_gallery_with_thumbnails(app, out):
    status, _, body = request(app, "GET", "/gallery")
    page = body.decode()
    assert status == 200 and "Built with the command line" in page
    thumbnail = re.search(r'<img src="(/thumbnails/unpacking-self-harm/US-en/minizine\.pdf)"', page)
    assert thumbnail
    status, headers, png = request(app, "GET", thumbnail[1])
    assert status == 200 and headers["Content-Type"] == "image/png" and png[:4] == b"\x89PNG"


def test_names_from_an_uploaded_file_are_shown_as_text_never_as_markup(app, out):
    """A shared lines file is not trusted: a name holding HTML comes back escaped on the result page."""
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()   # an old check: a warning naming the line
    line = {**LINE, "name": '<a href="https://evil.example/">Local</a> line', "checked": old}
    status, _, body = post_form(app, "/build", build_fields([line]))
    assert status == 202, body
    started = json.loads(body)
    assert wait_for(app, started["status"])["state"] == "done"
    status, _, page = request(app, "GET", f"{started['status']}/result")
    assert status == 200
    assert b'<a href="https://evil.example/">' not in page and b"&lt;a href=" in page


def test_a_second_build_of_the_same_edition_starts_from_the_sizes_that_fitted(app, out):
    """The preview built again after its lines changed (here, to a name as long): auto-fit starts from the
    size that fitted the last build of the same edition, so the poster costs two layout passes, not a
    cold search's three or more."""
    records = []
    for name in ("Warmline C", "Warmline D"):
        status, _, body = post_form(app, "/build", build_fields([{**LINE, "name": name}], format="poster"))
        assert status == 202, body
        build = json.loads(body)
        assert wait_for(app, build["status"])["state"] == "done"
        manifest = next((out / "web" / build["id"]).glob("*/*/manifest.json"))
        records.append(json.loads(manifest.read_text(encoding="utf-8"))["build"]["formats"]["poster"])
    cold, hinted = records
    assert cold["layout_passes"] > 2, "precondition: the cold search took more than two passes"
    assert hinted["layout_passes"] == 2 and hinted["body_size"] == cold["body_size"], records


def test_a_line_corrected_while_the_page_is_served_is_printed_as_corrected(tmp_path):
    """The server builds in its own process, one build after another: the second must read the lines as
    they are now, not as the first loaded them."""
    from zinepress.batch import Job
    from zinepress.edition import Selection
    from zinepress.web.builds import Build, Builder

    region = tmp_path / "illinois.yaml"
    line = {"name": "Illinois Warm Line", "call": "(866) 359-7953", "hours": "Weekdays 8am-8pm",
            "source": "https://example.org/il", "checked": TODAY,
            "evidence": [{"url": "https://example.com/il", "checked": TODAY, "supports": ["number"]}]}
    builder, texts = Builder(tmp_path / "out"), []
    for number in ("(866) 359-7953", "(866) 359-7954"):
        line["call"] = number
        region.write_text(yaml.safe_dump({"region": "US-IL", "name": "Illinois", "extends": "US",
                                          "lines": [line]}), encoding="utf-8")
        build_id, folder = builder.new_folder()
        build = Build(build_id, folder, Job(Selection(region=str(region)), {"tabs": True}, ("card",)))
        builder.run(build)
        assert build.state == "done", build.message
        texts.append(squash(pdf_text(next(folder.glob("*/*/card-pages.pdf")))))
    assert squash("359-7953") in texts[0]
    assert squash("359-7954") in texts[1] and squash("359-7953") not in texts[1]
