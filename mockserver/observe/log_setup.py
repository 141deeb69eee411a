"""Logging for `mockserver run`: one handler on stderr, plain text or JSON lines, every record
cleared of credentials whatever logger wrote it, and the frameworks kept at warning unless asked.

JSON lines come from python-json-logger; the text format is the standard library's. Debug output
of Connexion, uvicorn or Werkzeug can quote a header, a query or a body: the filter masks the
value after any credential name, and any `Bearer`/`JWT`/`Basic` token, before a handler writes."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from ..core.journal import REDACTED, SENSITIVE_FIELDS, SENSITIVE_HEADERS, SENSITIVE_QUERY

# The libraries under the mock: their info and debug lines are about themselves, not the vendor
# API a user is testing (about 4,000 lines at debug for a few requests).
FRAMEWORKS = ("connexion", "uvicorn", "uvicorn.error", "uvicorn.access", "werkzeug", "flask", "asyncio",
              "httpx", "httpcore", "starlette", "python_multipart", "multipart", "urllib3", "jsonschema")
HANDLER_NAME = "lms-mockserver"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "{asctime}{levelname}{name}{message}"

_NAMES = "|".join(sorted({re.escape(name) for name in SENSITIVE_FIELDS | SENSITIVE_QUERY | SENSITIVE_HEADERS},
                         key=len, reverse=True))
# name=value, name: value, "name": "value", 'name', b'value' (a header pair as Python prints it),
# <Name>value</Name>.
_NAMED_VALUE = re.compile(
    rf"""(?i)(\b(?:{_NAMES})\b["']?(?:\s*[:=]\s*|["']?,\s*|>)b?["']?)([^"'&\s,;}}\])<]+)""")
_ALREADY_MASKED = (REDACTED, "%2A%2A%2A")  # as written, and as a query string encodes it
_SCHEME_TOKEN = re.compile(r"(?i)\b(bearer|jwt|basic|token)(\s+)[A-Za-z0-9._~+/=-]{4,}")


def redact_text(text: str) -> str:
    """`text` with credential values masked (`apikey=***`, `Bearer ***`)."""
    text = _SCHEME_TOKEN.sub(rf"\1\2{REDACTED}", text)
    return _NAMED_VALUE.sub(lambda m: m.group(0) if m.group(2) in _ALREADY_MASKED else m.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Masks credentials in a record's text (message and arguments, once formatted together)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact_text(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged, not to the one there when the
    handler was made: a process that runs the mock in-process (a test runner capturing each
    test's output, an application redirecting its own) swaps it, and a line logged later must not
    go to a stream that is closed by then ("--- Logging error ---")."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self._follows = True  # until a stream is set on purpose (setStream)

    def setStream(self, stream: Any) -> Any:
        self._follows = False
        return super().setStream(stream)

    def emit(self, record: logging.LogRecord) -> None:
        if self._follows:
            self.stream = sys.stderr  # under the handler's lock (Handler.handle)
        super().emit(record)

    def flush(self) -> None:
        if self._follows:
            self.stream = sys.stderr
        super().flush()


def configure_logging(level: str, log_format: str = "text", framework_logs: bool = False) -> logging.Handler:
    """The root logger writes to stderr at `level`; the frameworks at warning (or also at
    `level` with `framework_logs`). Returns the handler (tests attach to it)."""
    handler = CurrentStderrHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, style="{", rename_fields={"levelname": "level",
                                                                                   "asctime": "time"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactSecrets())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    # Ours replaces an earlier one of ours (a second start in one process); others stay (a test
    # runner's capture, an embedding application's own).
    root.handlers[:] = [h for h in root.handlers if h.get_name() != HANDLER_NAME] + [handler]
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric)
    for name in FRAMEWORKS:
        framework = logging.getLogger(name)
        framework.setLevel(numeric if framework_logs else max(numeric, logging.WARNING))
        framework.propagate = True
        framework.handlers[:] = []
    return handler
