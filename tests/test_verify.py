"""`verify` against a local HTTP server (never the internet): pages that show a line's number (spaced
differently, behind a redirect, in windows-1252 and ISO-8859-1), one that does not, a 404, a timeout and
a closed port; and `list regions` showing each line's numbers and confidence."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from zinepress import cli, contacts
from zinepress.numbers import parse_number
from zinepress.verify import USER_AGENT, decode, fetch, shows_keyword, shows_number, visible_text

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
PAGES = FIXTURES / "pages"
HEADERS = {"cp1252": "text/html; charset=windows-1252", "latin1-meta": "text/html"}   # the latter: <meta> only
TIMEOUT = "1"


class Handler(BaseHTTPRequestHandler):
    """Serves tests/fixtures/verify/pages/NAME.html at /NAME; /old-page redirects, /slow never answers."""

    def do_GET(self):
        name = self.path.strip("/")
        state = self.server.state
        with state["lock"]:
            state["requests"].append((name, self.headers.get("User-Agent")))
            state["busy"] += name != "slow"
            state["most"] = max(state["most"], state["busy"])
        self.answer(name)

    def answer(self, name: str) -> None:
        if name == "slow":                       # answers only when the test ends, long after --timeout
            self.server.state["release"].wait(30)
            return
        threading.Event().wait(0.05)             # long enough for two requests to overlap if let through
        redirects = {"old-page": "/moved", "to-plain-http": "http://example.invalid/"}
        page = PAGES / f"{name}.html"
        if name in redirects:
            self.send_response(301)
            self.send_header("Location", redirects[name])
            body = b""
        elif name == "leaflet":                  # a PDF that happens to hold the digits
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            body = b"%PDF-1.4 Call 0800 068 4141"
        elif page.is_file():
            self.send_response(200)
            self.send_header("Content-Type", HEADERS.get(name, "text/html; charset=utf-8"))
            body = page.read_bytes()
        else:
            self.send_response(404)
            body = b"<p>not found</p>"
        # Done before the headers go out: once they have, a client that follows a redirect (an empty body)
        # is already sending its next request, which is not two at once.
        with self.server.state["lock"]:
            self.server.state["busy"] -= 1
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.state = {"lock": threading.Lock(), "requests": [], "busy": 0, "most": 0, "release": threading.Event()}
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.state["release"].set()
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def region_file(tmp_path: Path, port: int, failing: bool = True) -> Path:
    """The fixture region with the server's port; without `failing`, only its two good lines."""
    text = (FIXTURES / "region.yaml.template").read_text(encoding="utf-8")
    if not failing:
        text = text.split("  # FAILING")[0]
    path = tmp_path / "GB-ZZ.yaml"
    path.write_text(text.replace("PORT", str(port)).replace("CLOSED", str(closed_port())),
                    encoding="utf-8")
    return path


def verify(path: Path, *args: str):
    return run_cli("verify", "--region", str(path), "--timeout", TIMEOUT, *args)


@pytest.fixture(scope="module")
def failing(server, tmp_path_factory):
    """`verify --json` of the whole fixture region once, with the requests the server saw meanwhile."""
    server.state.update(requests=[], most=0)
    result = verify(region_file(tmp_path_factory.mktemp("verify"), server.server_port), "--json")
    return result, list(server.state["requests"]), server.state["most"]


def by_name(report: dict) -> dict:
    return {line["name"]: line for line in report["lines"]}


def page(line: dict, url_end: str) -> dict:
    return next(p for p in line["pages"] if p["url"].endswith(url_end))


def test_verify_reports_every_page_and_fails_on_a_missing_number_or_a_gone_source(server, failing):
    result = failing[0]
    assert result.returncode == 1, result.stderr
    assert "error: verify: 3 of 5 lines failed" in result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["failed"] == 3
    lines = by_name(report)

    one = lines["Helpline One"]            # "0800&nbsp;068-4141" on its source, "+44 (0)800 068 41 41" after a 301
    assert page(one, "/shows")["status"] == 200 and page(one, "/shows")["found"] == {"call 0800 068 4141": True}
    moved = page(one, "/old-page")
    assert moved["redirects"] == [{"status": 301, "to": f"http://127.0.0.1:{server.server_port}/moved"}]
    assert moved["final_url"].endswith("/moved") and moved["found"]["call 0800 068 4141"] is True
    chat = page(one, "/chat")               # nobody listens: reported, but a chat page is not the source
    assert chat["reachable"] is False and chat["gone"] is True and "connection" in chat["error"]
    assert one["failures"] == [] and any("chat" in text for text in one["recheck"])

    accents = lines["Ligne d’écoute"]       # decoded by the HTTP charset, and by <meta> when there is none
    for url_end in ("/cp1252", "/latin1-meta"):
        assert page(accents, url_end)["charset"] == "cp1252"
        assert page(accents, url_end)["found"] == {"text 85258": True, "keyword ÉCOUTE": True}

    unconfirmed = lines["Unconfirmed line"]
    assert page(unconfirmed, "/missing")["found"] == {"call 0800 1111": False}
    assert page(unconfirmed, "/gone")["status"] == 404 and page(unconfirmed, "/gone")["gone"] is True
    assert any("0800 1111" in text and "none of its pages" in text for text in unconfirmed["failures"])

    gone = lines["Gone line"]               # its evidence shows the number, but the source is gone
    assert gone["found_on"]["call 116 123"] == [f"http://127.0.0.1:{server.server_port}/samaritans"]
    assert [text for text in gone["failures"] if "source gone" in text]

    slow = lines["Slow line"]
    assert page(slow, "/slow")["error"] == "timed out" and page(slow, "/slow")["gone"] is True
    assert slow["confidence"] == "low" and any("only one page gives this number" in t for t in slow["recheck"])
    assert not slow["may_update"] and not unconfirmed["may_update"]
    assert gone["may_update"] == [(f"evidence[1] checked: 2026-10-01 -> {report['checked_on']} "   # not the line's
                                   f"(http://127.0.0.1:{server.server_port}/samaritans)")]


def test_each_address_is_fetched_once_one_at_a_time_with_a_clear_user_agent(failing):
    _, requests, most = failing
    names = [name for name, _ in requests]
    assert names.count("gone") == 1          # the source of one line and the evidence of another
    assert sorted(names) == sorted(set(names))
    assert {agent for _, agent in requests} == {USER_AGENT}
    assert most == 1                         # never two requests at once to the same host


def test_the_terminal_table_names_each_line_its_pages_and_what_to_recheck(server, tmp_path):
    result = verify(region_file(tmp_path, server.server_port))
    assert result.returncode == 1
    out = result.stdout
    port = server.server_port
    for name in ("Helpline One", "Ligne d’écoute", "Unconfirmed line", "Gone line", "Slow line"):
        assert f"({name})" in out
    for url in ("shows", "old-page", "cp1252", "latin1-meta", "missing", "gone", "samaritans", "slow"):
        assert f"http://127.0.0.1:{port}/{url}" in out
    block = out.split("(Gone line)")[1].split("\n\n")[0]
    assert "404 gone" in block and "FAIL: source gone" in block
    assert "301>200" in out.split("(Helpline One)")[1].split("\n\n")[0]
    assert "timed out (gone)" in out.split("(Slow line)")[1]


def test_verify_passes_when_every_number_is_found_and_names_the_dates_to_update(server, tmp_path):
    result = verify(region_file(tmp_path, server.server_port, failing=False), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    one = by_name(report)["Helpline One"]
    assert any(text.startswith("checked: 2026-11-01 -> ") for text in one["may_update"])
    assert any(text.startswith("evidence[1] checked: 2026-10-01 -> ") for text in one["may_update"])
    assert "plain http" in result.stderr     # loopback http is accepted, with a warning --strict refuses


def test_when_no_page_answers_verify_says_to_check_the_connection(tmp_path):
    result = verify(region_file(tmp_path, closed_port(), failing=False))
    assert result.returncode == 1 and "no page answered at all" in result.stderr
    assert result.stdout.count("connection failed (gone)") == 5     # every page, each in the table


def test_a_redirect_to_plain_http_elsewhere_is_not_followed(server):
    fetched = fetch(f"http://127.0.0.1:{server.server_port}/to-plain-http", 1)
    assert not fetched.reachable and "does not follow" in fetched.error and not fetched.gone


def test_a_pdf_is_left_for_a_person_to_read(server):
    fetched = fetch(f"http://127.0.0.1:{server.server_port}/leaflet", 1)
    assert fetched.reachable and fetched.text is None and "read it by hand" in fetched.error


def test_verify_refuses_a_bad_timeout_and_an_unknown_region():
    assert run_cli("verify", "--timeout", "0").returncode == 2
    unknown = run_cli("verify", "--region", "ZZ")
    assert unknown.returncode == 1 and "unknown region" in unknown.stderr


UK = parse_number("0800 068 4141", "test", "GB")
SHORT = parse_number("988", "test", "US")
VANITY = parse_number("1-800-273-TALK", "test", "US")


@pytest.mark.parametrize("number, text, shown", [
    (UK, "Call 0800 068 4141 now", True),
    (UK, "call 08000684141.", True),
    (UK, "from abroad +44 800 068 4141", True),
    (UK, "+44 (0)800-068-4141", True),
    (UK, "(0800) 068.4141", True),
    (UK, "0800 068 41410", False),           # a longer number
    (UK, "20800 068 4141", False),
    (UK, "0800 068\n4141", False),           # two cells of a table
    (UK, "0800 068 4142", False),
    (SHORT, "call or text 988", True),
    (SHORT, "text 988 24/7", True),
    (SHORT, "1-800-988-1234", False),        # inside a longer number
    (SHORT, "9888", False),
    (VANITY, "1-800-273-talk", True),
    (VANITY, "1 (800) 273-8255", True),
    (VANITY, "800-273-8255", True),
])
def test_a_number_is_found_in_any_spacing_and_with_or_without_its_prefixes(number, text, shown):
    assert shows_number(text, number) is shown


def test_keywords_are_whole_words_in_any_case():
    assert shows_keyword("Text shout to 85258", "SHOUT")
    assert shows_keyword("envoyez « écoute »", "ÉCOUTE")
    assert not shows_keyword("shouting", "SHOUT")


def test_pages_are_decoded_by_http_charset_then_meta_then_utf8():
    latin = "<meta charset='iso-8859-1'><p>Écoute</p>".encode("latin-1")
    assert decode(latin, None) == ("<meta charset='iso-8859-1'><p>Écoute</p>", "cp1252")
    assert decode("Écoute".encode(), "iso-8859-1")[0] != "Écoute"   # the HTTP charset wins
    assert decode(b"\xc9coute", None) == ("\ufffdcoute", "utf-8")
    assert visible_text("<script>x=1</script><p>0800&nbsp;1111</p><style>p{}</style>") == "0800 1111"


def test_list_regions_shows_each_lines_numbers_and_confidence(monkeypatch, capsys):
    folder = FIXTURES / "list"
    monkeypatch.setattr(contacts, "CRISIS_LINES_DIR", folder)
    assert cli.main(["list", "regions"]) == 0
    out = capsys.readouterr().out.splitlines()
    for line in yaml.safe_load((folder / "GB.yaml").read_text(encoding="utf-8"))["lines"]:
        shown = next(row for row in out if f"- {line['name']} " in row)
        text = line.get("text") or {}
        for part in (line.get("call"), text.get("number"), text.get("keyword"), line["kind"]):
            assert part is None or part in shown, (part, shown)
        if line.get("confidence") == "low":
            assert "confidence LOW" in shown and line["confidence_note"] in shown
        else:
            assert "confidence ok" in shown
