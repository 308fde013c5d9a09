"""`verify`: fetch the pages behind the crisis lines (source, evidence, chat) and read their text.

This module fetches and reads; `verify_report` decides what each line's pages confirm. Fetching is
polite: each address once, a few at a time, never two at once to the same host, a short timeout, and a
User-Agent that says what is asking. Only https:// is followed, and plain http:// to this machine
(127.0.0.1, localhost), which the tests' local server uses.
"""

import codecs
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from urllib.parse import urlsplit

import phonenumbers

from .numbers import PhoneNumber, digits, full_digits, keypad

USER_AGENT = "zinepress-verify/1 (+crisis-line check)"
WORKERS = 4
MAX_BYTES = 5_000_000          # more than any service's page; a bigger body is cut, not refused
LOOPBACK = ("127.0.0.1", "localhost", "::1")
GONE_STATUSES = (404, 410)
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Page:
    """What fetching one address gave: where it ended, its status, and its text when it is a page."""
    url: str
    status: int | None = None                  # the final HTTP status; None when there was no answer
    final_url: str = ""
    redirects: tuple[tuple[int, str], ...] = ()  # (status, address) of each redirect followed
    error: str | None = None                   # why it could not be read, in words
    gone: bool = False                         # 404/410, no such host, refused or timed out
    content_type: str = ""
    charset: str = ""
    text: str | None = field(default=None, repr=False)   # the visible text; None when not readable

    @property
    def reachable(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Refused(urllib.error.URLError):
    """A redirect to an address verify does not follow (not https, or plain http off this machine)."""


def allowed(url: str, local: bool = True) -> bool:
    """https anywhere; http only to this machine, and (`local` false) not even that."""
    parts = urlsplit(url)
    return parts.scheme == "https" or local and parts.scheme == "http" and parts.hostname in LOOPBACK


class RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, recording each, and refusing any to a non-allowed address; a
    page on the internet may not send verify to plain http on this machine."""

    def __init__(self, local: bool) -> None:
        self.hops: list[tuple[int, str]] = []
        self.local = local

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not allowed(newurl, self.local):
            raise Refused(f"redirected ({code}) to {newurl}, which verify does not follow (https only)")
        self.hops.append((code, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float) -> Page:
    """One address, its redirects followed; never raises for a network problem."""
    if not allowed(url):
        return Page(url, error="not an https:// address; not fetched")
    local = urlsplit(url).scheme == "http"
    redirects = RecordingRedirects(local)
    handlers = [redirects] + ([urllib.request.ProxyHandler({})] if local else [])
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, */*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = read_body(response, time.monotonic() + timeout)
            return page_of(url, response.status, response.url, tuple(redirects.hops), response.headers, body)
    except urllib.error.HTTPError as error:   # a status >= 400 (or a redirect loop): an answer, not a page
        error.close()
        return Page(url, status=error.code, final_url=error.url or url, redirects=tuple(redirects.hops),
                    error=f"HTTP {error.code} {error.reason}", gone=error.code in GONE_STATUSES)
    except Refused as error:
        return Page(url, redirects=tuple(redirects.hops), error=str(error.reason))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason, gone = failure(error)
        return Page(url, redirects=tuple(redirects.hops), error=reason, gone=gone)


def failure(error: Exception) -> tuple[str, bool]:
    """A network failure in words, and whether it means the page is gone (no host, refused, timed out);
    a certificate problem is reported but is not proof that the page is gone."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "no such host (DNS lookup failed)", True
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return "timed out", True
    if isinstance(reason, ssl.SSLError):
        return f"TLS/certificate problem: {reason}", False
    if isinstance(reason, ConnectionError):
        return f"connection failed: {reason.strerror or type(reason).__name__}", True
    return f"could not fetch: {reason}", isinstance(reason, OSError)


def read_body(response, deadline: float) -> bytes:
    """The body, up to MAX_BYTES, within the deadline (the socket timeout bounds each read, not all)."""
    chunks, size = [], 0
    while size < MAX_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        chunk = response.read(min(65536, MAX_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def page_of(url: str, status: int, final_url: str, redirects: tuple, headers: Message, body: bytes) -> Page:
    """A fetched page with its text, when it is a web page or plain text."""
    content_type = headers.get_content_type()
    if content_type not in TEXT_TYPES:
        return Page(url, status, final_url, redirects, content_type=content_type,
                    error=f"not a web page ({content_type}): read it by hand")
    text, charset = decode(body, headers.get_content_charset())
    if content_type != "text/plain":
        text = visible_text(text)
    return Page(url, status, final_url, redirects, content_type=content_type, charset=charset, text=text)


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# As browsers do: a page labelled Latin-1 or ASCII is read as windows-1252, its superset.
WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}


def decode(body: bytes, http_charset: str | None) -> tuple[str, str]:
    """The body as text: by the HTTP charset, else the page's <meta charset>, else UTF-8; undecodable
    bytes become U+FFFD. Returns the text and the charset used."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    meta = META_CHARSET.search(body[:4096])
    for label in (http_charset, meta and meta[1].decode("ascii")):
        name = charset_name(label)
        if name:
            return body.decode(name, "replace"), name
    return body.decode("utf-8", "replace"), "utf-8"


def charset_name(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for a missing or unknown one."""
    if not label:
        return None
    label = label.strip().lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


BLOCK_TAGS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "form",
              "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
              "section", "table", "td", "th", "title", "tr", "ul", "option", "button", "label"}
HIDDEN_TAGS = {"script", "style", "template"}


class TextOf(HTMLParser):
    """A page's visible text: tags stripped, entities decoded (convert_charrefs), a line break at each
    block so that numbers in two cells are not read as one, runs of spaces as one as a browser shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def visible_text(html: str) -> str:
    parser = TextOf()
    parser.feed(html)
    parser.close()
    return re.sub(r" *\n[\n ]*", "\n", "".join(parser.parts)).strip()


def fetch_all(urls: list[str], timeout: float, workers: int = WORKERS) -> dict[str, Page]:
    """Each address once, `workers` at a time, at most one request at a time to each host."""
    unique = list(dict.fromkeys(urls))
    locks: dict[str, threading.Lock] = {}
    guard = threading.Lock()

    def polite(url: str) -> Page:
        with guard:
            lock = locks.setdefault(urlsplit(url).hostname or "", threading.Lock())
        with lock:
            return fetch(url, timeout)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(unique, pool.map(polite, unique)))


# Between the digits of a number a page may put spaces (of any width), dashes, dots, brackets or a
# slash: "0800 068 4141", "(503) 555-0142", "+44 (0)800.068.4141". Not a line break: two numbers in two
# cells of a table are two numbers.
SEPARATOR = "[ \t\u00a0\u2000-\u200b\u202f\\-\u2010-\u2015.()/]"
# A number must stand alone: no digit right before or after it, even across one separator, so that 988
# is not found inside 1-800-988-1234, nor 116 123 inside 0116 123 4567 (a short code inside a longer
# number would otherwise pass; a miss only asks a person to look). "24/7" beside a number is the one
# exception, as pages often write "text 988 24/7".
ALONE_BEFORE = rf"(?:(?<!\d)(?<!\d{SEPARATOR})|(?<=24/7 ))"
ALONE_AFTER = rf"(?:(?!{SEPARATOR}?\d)|(?= 24 ?(?:/ ?7|h\b|-?hours?\b)))"


def number_forms(number: PhoneNumber) -> list[str]:
    """The forms a page may show a number in: its digits with or without the country code and the
    trunk prefix (0800 1111, +44 800 1111, +44 (0)800 1111), and a vanity number as written (1-800-273-TALK)."""
    forms = {digits(keypad(number.dial))}
    if number.e164:
        forms |= full_digits(phonenumbers.parse(number.e164))
    for written in (number.dial, number.display):
        if any(c.isalpha() for c in written):
            forms.add("".join(c for c in written if c.isalnum()).upper())
    return sorted(forms, key=len, reverse=True)


def number_pattern(number: PhoneNumber) -> re.Pattern:
    """A pattern finding any of the number's forms, separators allowed between its characters."""
    between = f"{SEPARATOR}{{0,3}}"
    forms = "|".join(between.join(re.escape(c) for c in form) for form in number_forms(number))
    return re.compile(f"{ALONE_BEFORE}(?:{forms}){ALONE_AFTER}", re.IGNORECASE)


def shows_number(text: str, number: PhoneNumber) -> bool:
    return bool(number_pattern(number).search(text))


def shows_keyword(text: str, keyword: str) -> bool:
    """The keyword as a whole word, in any case (SHOUT, Shout, shout)."""
    return bool(re.search(rf"(?<!\w){re.escape(keyword.strip())}(?!\w)", text, re.IGNORECASE))
