"""`verify`'s findings: which of a line's pages answer and show its numbers and keywords, what a person
should re-check, and which `checked` dates they may then update. It never edits the data."""

import datetime as dt
import json
import sys
from dataclasses import dataclass, field

from .contacts import is_region_path, load_region, region_codes
from .crisisline import CrisisLine
from .evidence import host
from .selecting import ALL, names
from .verify import Page, fetch_all, shows_keyword, shows_number

# An evidence entry that `supports: [number]` must show every number of the line; [text], the text number.
SUPPORTS_ALL_NUMBERS = {"number"}


@dataclass
class LinePage:
    """One of a line's pages: its role (source, evidence, chat), what it is cited for, what it shows."""
    role: str
    url: str
    supports: tuple[str, ...] = ()
    index: int | None = None                     # the evidence entry's position, from 1
    page: Page | None = None
    found: dict[str, bool | None] = field(default_factory=dict)   # label -> shown (None: not readable)


@dataclass
class LineReport:
    line: CrisisLine
    pages: list[LinePage]
    labels: list[str]                            # "call 0800 1111", "text 85258", "keyword SHOUT"
    failures: list[str] = field(default_factory=list)   # these make verify exit 1
    recheck: list[str] = field(default_factory=list)
    may_update: list[str] = field(default_factory=list)


def selected_lines(value: str) -> list[CrisisLine]:
    """The lines of `--region`: a code, a comma list, all, or the path to a region file; a line that
    two regions share (a sub-region's parent) once. Loading warnings are printed, not fatal."""
    warnings: list[str] = []
    if is_region_path(value):
        regions = [load_region(value, warnings)]
    else:
        codes = region_codes() if value.strip().lower() == ALL else names(value, "region", upper=True)
        regions = [load_region(code, warnings) for code in codes]
    for warning in dict.fromkeys(warnings):
        print(f"warning: {warning}", file=sys.stderr)
    return list({line.where: line for region in regions for line in region.lines}.values())


def keywords_of(line: CrisisLine) -> list[str]:
    """The line's text keywords: one, or one per language."""
    return line.keywords()


def targets(line: CrisisLine) -> dict[str, object]:
    """What to look for on the line's pages: label -> PhoneNumber or keyword."""
    wanted: dict[str, object] = {}
    numbers = [(kind, number) for kind, number in (("call", line.call), ("text", line.text)) if number]
    for kind, number in numbers:
        if not any(other.key == number.key for other in wanted.values() if hasattr(other, "key")):
            both = "call/text" if line.call and line.text and line.call.key == line.text.key else kind
            wanted[f"{both} {number.display}"] = number
    for word in keywords_of(line):
        wanted[f"keyword {word}"] = word
    return wanted


def line_pages(line: CrisisLine) -> list[LinePage]:
    """The source, each evidence page and the chat page, each address once (its first role kept)."""
    pages = [LinePage("source", line.source)]
    pages += [LinePage("evidence", item.url, tuple(item.supports), n) for n, item in enumerate(line.evidence, 1)]
    if line.chat:
        pages.append(LinePage("chat", line.chat))
    seen: dict[str, LinePage] = {}
    for page in pages:
        if page.url in seen:
            seen[page.url].supports += page.supports
        else:
            seen[page.url] = page
    return list(seen.values())


def verify_lines(lines: list[CrisisLine], timeout: float, today: dt.date) -> list[LineReport]:
    """Fetch every line's pages (each address once) and judge each line."""
    plans = [(line, line_pages(line), targets(line)) for line in lines]
    fetched = fetch_all([page.url for _, pages, _ in plans for page in pages], timeout)
    reports = []
    for line, pages, wanted in plans:
        for page in pages:
            page.page = fetched[page.url]
            text = page.page.text
            page.found = {label: None if text is None else
                          shows_keyword(text, what) if isinstance(what, str) else shows_number(text, what)
                          for label, what in wanted.items()}
        reports.append(judge(LineReport(line, pages, list(wanted)), today))
    return reports


def judge(report: LineReport, today: dt.date) -> LineReport:
    """Fill in what fails, what to re-check and which dates may be updated."""
    line = report.line
    for page in report.pages:
        page_notes(page, report)
    for label in report.labels:
        shown_on = [page for page in report.pages if page.found.get(label)]
        read = any(page.found.get(label) is False for page in report.pages)
        where = "is on none of its pages" if read else "could not be looked for (no page could be read)"
        if not shown_on and not label.startswith("keyword"):
            report.failures.append(f"{label} {where}: confirm the number before printing")
        elif not shown_on:
            report.recheck.append(f"{label} {where}: confirm it before printing")
        elif len({host(page.url) for page in shown_on}) == 1 and line.confidence != "low":
            report.recheck.append(f"{label} is on pages of only one site ({host(shown_on[0].url)}): add a "
                                  "page from another site that agrees, or mark the line confidence: low")
    if line.confidence == "low":
        report.recheck.append(f"confidence low: {line.confidence_note}")
    dates(report, today)
    return report


def page_name(page: LinePage) -> str:
    return f"evidence[{page.index}]" if page.index else page.role


def page_notes(page: LinePage, report: LineReport) -> None:
    """A page that is gone (a gone source fails the line), unreadable, moved, or no longer shows what
    it is cited for."""
    name, fetched = page_name(page), page.page
    if fetched.gone and page.role == "source":
        report.failures.append(f"source gone ({fetched.error}): find the service's current page")
    elif not fetched.reachable:
        what = "gone" if fetched.gone else "could not be read"
        report.recheck.append(f"{name} {what} ({fetched.error}): open it in a browser: {page.url}")
    elif fetched.text is None:
        report.recheck.append(f"{name}: {fetched.error}: {page.url}")
    if not fetched.reachable:
        return
    missing = [label for label in cited_for(page, report.labels) if page.found.get(label) is False]
    if missing:
        report.recheck.append(f"{name} is cited for {', '.join(missing)} but does not show it: {page.url}")
    if any(status in (301, 308) for status, _ in fetched.redirects):
        report.recheck.append(f"{name} moved permanently to {fetched.final_url}: cite that address")


def cited_for(page: LinePage, labels: list[str]) -> list[str]:
    """The labels an evidence page's `supports:` names: number(s) for every number, call, text, keyword."""
    wanted = {word.strip().lower() for word in page.supports}
    return [label for label in labels
            if label.startswith("keyword") and "keyword" in wanted
            or not label.startswith("keyword") and (wanted & SUPPORTS_ALL_NUMBERS or
                                                    wanted & set(label.split(" ")[0].split("/")))]


def dates(report: LineReport, today: dt.date) -> None:
    """The `checked` dates a person may set to today once they have read the pages themselves."""
    line, source = report.line, report.pages[0]
    everything = all(any(page.found.get(label) for page in report.pages) for label in report.labels)
    if source.page.reachable and everything and not report.failures:
        report.may_update.append(f"checked: {line.checked} -> {today}, after reading the pages for the hours "
                                 "and other details")
    for page in report.pages[1:]:
        cited = cited_for(page, report.labels)
        if page.index and page.page.reachable and cited and all(page.found.get(label) for label in cited):
            when = line.evidence[page.index - 1].checked
            report.may_update.append(f"evidence[{page.index}] checked: {when} -> {today} ({page.url})")


def failed(reports: list[LineReport]) -> int:
    """How many lines fail (a number on none of its pages, or a source gone)."""
    return sum(1 for report in reports if report.failures)


def status_label(page: Page) -> str:
    """A page's status in a few characters: 200, 301>200, 404 gone, timed out (gone)."""
    hops = ">".join(str(status) for status, _ in page.redirects)
    if page.status is not None:
        label = f"{hops}>{page.status}" if hops else str(page.status)
        return f"{label} gone" if page.gone else label
    error = (page.error or "error").split(" (")[0].split(":")[0]
    return f"{error} (gone)" if page.gone else error


def mark(found: bool | None) -> str:
    return {True: "yes", False: "NO", None: "-"}[found]


def table(reports: list[LineReport], today: dt.date) -> str:
    """The report for a terminal: per line, a row per page, then what to do."""
    blocks = [line_block(report) for report in reports]
    pages = sum(len(report.pages) for report in reports)
    recheck = sum(1 for report in reports if report.recheck and not report.failures)
    blocks.append(f"{len(reports)} lines, {pages} pages, checked {today}: {failed(reports)} failed, "
                  f"{recheck} more to re-check. verify never edits the data; update what it names by hand.")
    return "\n\n".join(blocks)


def line_block(report: LineReport) -> str:
    line = report.line
    kind = f", {line.kind}" if line.kind else ""
    head = f"{line.where or line.name}{kind}: checked {line.checked}, confidence {line.confidence}"
    rows = [["page", "status", *report.labels, "address"]]
    for page in report.pages:
        shown = page.url + (f" -> {page.page.final_url}" if page.page.redirects else "")
        rows.append([page.role if not page.index else f"evidence[{page.index}]", status_label(page.page),
                     *(mark(page.found.get(label)) for label in report.labels), shown])
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]) - 1)]
    lines = [head] + ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]
                      for row in rows]
    lines += [f"  FAIL: {text}" for text in report.failures]
    lines += [f"  re-check: {text}" for text in report.recheck]
    lines += [f"  may update: {text}" for text in report.may_update]
    if not (report.failures or report.recheck):
        lines.append("  ok: every number and keyword is on pages of at least two sites")
    return "\n".join(lines)


def as_json(reports: list[LineReport], today: dt.date) -> str:
    """The report as JSON: per line, its pages, what each shows, and what to do."""
    return json.dumps({"checked_on": today.isoformat(), "ok": not failed(reports),
                       "failed": failed(reports), "lines": [line_json(report) for report in reports]},
                      indent=2, ensure_ascii=False)


def line_json(report: LineReport) -> dict:
    line = report.line
    return {
        "name": line.name, "where": line.where, "checked": line.checked.isoformat(),
        "confidence": line.confidence, "confidence_note": line.confidence_note, "kind": line.kind,
        "looked_for": report.labels,
        "found_on": {label: [page.url for page in report.pages if page.found.get(label)] for label in report.labels},
        "pages": [{"role": page.role, "evidence": page.index, "url": page.url, "supports": list(page.supports),
                   "reachable": page.page.reachable, "status": page.page.status, "gone": page.page.gone,
                   "error": page.page.error, "final_url": page.page.final_url or None,
                   "redirects": [{"status": status, "to": url} for status, url in page.page.redirects],
                   "content_type": page.page.content_type or None, "charset": page.page.charset or None,
                   "found": page.found} for page in report.pages],
        "failures": report.failures, "recheck": report.recheck, "may_update": report.may_update,
    }
