"""Every GET URL in README.md and docs/ answers what the text says it answers.

Each document is played against a fresh server with the packaged seed, as a reader would type
it: its `curl` commands in order (continued lines joined; writes too, since later reads may
show what they made), each with its `-X`, `-H` and `-d`. A GET is checked against the status
the text gives it (`# 401 noauthheader` on its line, or a `# HTTP/1.1 404 Not Found` output line
below it), else it must succeed; redirects are not followed (`# 301 to the slash URL`). A URL in
running text (in backticks) must succeed too, unless it is a base URL the text defines
(`{base}` is ...). Commands that need a shell value (`$TOKEN`, `$(...)`) or a placeholder
(`<Id>`, `{id}`, `…`) are not concrete and are left out. titus.md's examples are for
`--vendor titus` (its text says so); the others use all vendors on one port. Where the text
says a block runs "from a freshly reset mock", the server is reset there."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import app_client

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BASE = "http://127.0.0.1:8080"
PLACEHOLDER = re.compile(r"[<>{}$…]|\.\.\.")
STATUS_NOTE = re.compile(r"#\s*(?:→\s*)?([1-5]\d\d)\b")
OUTPUT_STATUS = re.compile(r"^#\s*HTTP/1\.[01] ([1-5]\d\d)\b")
PROSE_URL = re.compile(r"`(http://127\.0\.0\.1:8080/[^`\s]*)`")
# Base URLs the documents define for the reader, not resources to fetch.
BASES = {"", "/litmos", "/litmos/v1.svc", "/v1.svc", "/tesla", "/tesla/api/v2", "/api/v2", "/titus/api/v1",
         "/api/v1"}
# titus.md's examples are for --vendor titus; litmos.md's run over a hundred calls, which a reader
# spreads over more than Litmos's minute.
SETTINGS = {"titus.md": {"vendor": "titus"}, "litmos.md": {"litmos_rate_limit": "100000/60s"}}
FRESH = re.compile(r"(?i)freshly reset mock")  # the text starts a block from the seed


@dataclass
class Call:
    line: int
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    expected: int | None = None  # None: a success
    checked: bool = True  # a GET is checked; a write only prepares what later reads show


def shell_lines(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, line with continuations joined, the comment lines right below it)."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start, line = index, lines[index]
        while line.rstrip().endswith("\\") and index + 1 < len(lines):
            index += 1
            line = line.rstrip()[:-1] + " " + lines[index].strip()
        below = []
        ahead = index + 1
        while ahead < len(lines) and lines[ahead].lstrip().startswith("#"):
            below.append(lines[ahead].strip())
            ahead += 1
        yield start + 1, line, below
        index += 1


def curl_call(number: int, line: str, below: list[str]) -> Call | None:
    code, _, note = line.partition(" #")
    if "curl " not in code or BASE not in code or "$" in code or "|" in code.split("curl ", 1)[1]:
        return None
    try:
        words = shlex.split(code[code.index("curl "):])
    except ValueError:
        return None
    method, headers, body, urls = "GET", {}, None, []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "-X":
            method = following.upper()
        elif word == "-H":
            name, _, value = following.partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw", "--data-binary", "--json"):
            if following.startswith("@"):
                return None
            body = following
            method = "POST" if method == "GET" else method
        elif word.startswith(BASE):
            urls.append(word)
        elif word in ("-F", "--form", "-u", "-T"):
            return None
    if len(urls) != 1 or PLACEHOLDER.search(urls[0]):
        return None
    expected = STATUS_NOTE.search("#" + note) if note else None
    status = int(expected.group(1)) if expected else None
    for comment in below:
        output = OUTPUT_STATUS.match(comment)
        if output and status is None:
            status = int(output.group(1))
    return Call(number, method, urls[0], headers, body, status, checked=method == "GET")


def calls_of(doc: Path) -> list[Call]:
    calls = []
    for number, line, below in shell_lines(doc.read_text(encoding="utf-8")):
        if FRESH.search(line):
            calls.append(Call(number, "RESET", "", checked=False))
            continue
        call = curl_call(number, line, below)
        if call is not None:
            calls.append(call)
        elif "curl " not in line:
            for url in PROSE_URL.findall(line):
                if not PLACEHOLDER.search(url) and urlsplit(url).path.rstrip("/") not in BASES:
                    calls.append(Call(number, "GET", url))
    return calls


@pytest.mark.parametrize("doc", DOCS, ids=[doc.name for doc in DOCS])
def test_each_documented_url_answers_as_the_text_says(doc: Path) -> None:
    client = app_client(**SETTINGS.get(doc.name, {}))
    wrong = []
    try:
        for call in calls_of(doc):
            if call.method == "RESET":
                client.post("/__admin/reset")
                continue
            parts = urlsplit(call.url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            answer = client.request(call.method, target, headers=call.headers, content=call.body,
                                    follow_redirects=False)
            if not call.checked:
                continue
            good = answer.status_code == call.expected if call.expected is not None \
                else 200 <= answer.status_code < 300
            if not good:
                wrong.append(f"{doc.name}:{call.line} {call.method} {target}: {answer.status_code}, the text says "
                             f"{call.expected or '2xx'}: {answer.text[:200]!r}")
    finally:
        client.close()
    assert not wrong, "\n".join(wrong)


def test_the_documents_hold_the_urls_this_checks() -> None:
    """The parser finds the URLs the issue named: every mount's Swagger UI, the dashboard."""
    checked = {urlsplit(call.url).path for doc in DOCS for call in calls_of(doc) if call.checked}
    assert len(checked) > 50
    assert {"/titus/api/v1/ui/", "/litmos/v1.svc/ui/", "/tesla/ui/", "/__admin/docs/"} <= checked
    assert "/tesla/api/v2/ui/" not in checked
