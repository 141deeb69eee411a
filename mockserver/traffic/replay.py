"""Replaying a recording: each request as recorded, with working credentials in place of the
redacted ones and the ids the replayed server created in place of the ones the vendor did.

A recording holds no credential (`***`), so the replay brings its own: by default the mock's demo
credentials (Titus `titus-admin-token`, Litmos `litmos-demo-key`, TeSLA's demo passwords), or a
credentials file for another instance:

    titus: {token: ...}
    litmos: {apikey: ...}
    tesla: {passwords: {"someone@example.org": "..."}}

TeSLA's JWTs come from the replayed logins: a redacted `Authorization` carries the latest access
token obtained, a redacted `refresh` the latest refresh token. Ids: after each exchange the
recorded and replayed answers are walked side by side, and where an id differs (a JSON key `id`,
`*_id`, `Id`, `*Id`, an XML element `Id`) later paths, query values and JSON bodies use the
replayed one.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from ..core.journal import REDACTED
from .recorder import NOT_FORWARDED
from .recording import parsed_body

TESLA_DEMO_PASSWORDS = {"admin@tesla.example": "tesla-admin", "inst-admin@tesla.example": "tesla-admin",
                        "data-admin@tesla.example": "tesla-admin", "member@tesla.example": "tesla-member"}
# Not sent again: what the recording proxy does not forward either, the client's Accept-Encoding
# (httpx asks for what it can decode) and a cookie (recorded as ***).
SKIPPED_HEADERS = NOT_FORWARDED | {"accept-encoding", "cookie"}
_ID_KEY = re.compile(r"^(id|.*_id|Id|.*Id|ID)$")


@dataclass
class Credentials:
    titus_token: str = "titus-admin-token"
    litmos_apikey: str = "litmos-demo-key"
    tesla_passwords: dict[str, str] = field(default_factory=lambda: dict(TESLA_DEMO_PASSWORDS))

    @classmethod
    def from_file(cls, path: Path) -> Credentials:
        """The file's credentials over the defaults; ValueError naming what is wrong."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"credentials file {path}: cannot be read: {exc}") from None
        if not isinstance(data, dict) or set(data) - {"titus", "litmos", "tesla"}:
            raise ValueError(f"credentials file {path}: holds titus, litmos and/or tesla, each a mapping")
        found = cls()
        titus, litmos, tesla = (data.get(name) or {} for name in ("titus", "litmos", "tesla"))
        if not all(isinstance(part, dict) for part in (titus, litmos, tesla)):
            raise ValueError(f"credentials file {path}: titus, litmos and tesla are mappings")
        found.titus_token = str(titus.get("token", found.titus_token))
        found.litmos_apikey = str(litmos.get("apikey", found.litmos_apikey))
        passwords = tesla.get("passwords", {})
        if not isinstance(passwords, dict):
            raise ValueError(f"credentials file {path}: tesla.passwords maps e-mail addresses to passwords")
        found.tesla_passwords.update({str(k): str(v) for k, v in passwords.items()})
        return found


class IdMap:
    """Recorded id -> replayed id, learnt from answers walked side by side."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def learn(self, recorded: str, replayed: str, media: str) -> None:
        old_kind, old = parsed_body(recorded, media)
        new_kind, new = parsed_body(replayed, media)
        if old_kind == new_kind == "json":
            self._walk_json(old, new)
        elif old_kind == new_kind == "xml":
            for a, b in zip(old.iter("{*}Id"), new.iter("{*}Id")):
                self._note(a.text, b.text)

    def _walk_json(self, old: Any, new: Any) -> None:
        if isinstance(old, dict) and isinstance(new, dict):
            for key, value in old.items():
                if key in new and _ID_KEY.match(key) and isinstance(value, (str, int)) and not isinstance(value, bool):
                    self._note(value, new[key])
                elif key in new:
                    self._walk_json(value, new[key])
        elif isinstance(old, list) and isinstance(new, list):
            for a, b in zip(old, new):
                self._walk_json(a, b)

    def _note(self, old: Any, new: Any) -> None:
        if old is not None and new is not None and str(old) != str(new) and str(old) != REDACTED:
            self.ids[str(old)] = str(new)

    def path(self, path: str) -> str:
        return "/".join(self.ids.get(part, part) for part in path.split("/"))

    def query(self, query: str) -> str:
        parts = []
        for part in query.split("&") if query else []:
            name, sep, value = part.partition("=")
            parts.append(f"{name}{sep}{self.ids.get(value, value)}")
        return "&".join(parts)

    def json(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v, key) for v in value]
        if _ID_KEY.match(key) and isinstance(value, (str, int)) and not isinstance(value, bool):
            mapped = self.ids.get(str(value))
            return value if mapped is None else (int(mapped) if isinstance(value, int) and mapped.isdigit() else mapped)
        return value


class Replayer:
    """Sends recorded requests to `base_url` (a vendor's base URL), learning ids and tokens."""

    def __init__(self, credentials: Credentials, client: httpx.Client) -> None:
        self.credentials = credentials
        self.client = client
        self.ids = IdMap()
        self.tesla_access: str | None = None
        self.tesla_refresh: str | None = None

    def send(self, base_url: str, exchange: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """The replayed answer ({status, headers, body}) and the request body as sent (JSON decoded)."""
        vendor, request = exchange["vendor"], exchange["request"]
        path = self.ids.path(request["path"])
        query = self._query(vendor, self.ids.query(request.get("query", "")))
        headers = self._headers(vendor, request.get("headers", {}))
        content, sent = self._body(vendor, request)
        answer = self.client.request(request["method"], f"{base_url.rstrip('/')}{path}{'?' + query if query else ''}",
                                     headers=headers, content=content)
        replayed = {"status": answer.status_code, "headers": {k.lower(): v for k, v in answer.headers.items()},
                    "body": answer.text}
        recorded = exchange["response"]
        media = (recorded.get("headers", {}).get("content-type") or "").lower()
        if recorded.get("body_encoding") == "text" and 200 <= answer.status_code < 300:
            self.ids.learn(recorded.get("body", ""), answer.text, media)
        if vendor == "tesla":
            self._learn_tokens(answer)
        return replayed, sent

    def _query(self, vendor: str, query: str) -> str:
        if vendor != "litmos" or not query:
            return query
        return "&".join(f"{part.split('=', 1)[0]}={self.credentials.litmos_apikey}"
                        if part.lower().startswith("apikey=") and part.endswith(REDACTED) else part
                        for part in query.split("&"))

    def _headers(self, vendor: str, recorded: dict[str, str]) -> dict[str, str]:
        headers = {k: v for k, v in recorded.items() if k not in SKIPPED_HEADERS}
        if headers.get("authorization") == REDACTED:
            if vendor == "titus":
                headers["authorization"] = f"Bearer {self.credentials.titus_token}"
            elif vendor == "tesla" and self.tesla_access:
                headers["authorization"] = f"JWT {self.tesla_access}"
            else:
                headers.pop("authorization")
        if headers.get("apikey") == REDACTED:
            headers["apikey"] = self.credentials.litmos_apikey
        return headers

    def _body(self, vendor: str, request: dict[str, Any]) -> tuple[bytes, Any]:
        body = request.get("body", "")
        if request.get("body_encoding") == "base64":
            return base64.b64decode(body), None
        media = (request.get("headers", {}).get("content-type") or "").lower()
        if "json" not in media or not body:
            return body.encode("utf-8"), None
        try:
            value = self.ids.json(json.loads(body))
        except ValueError:
            return body.encode("utf-8"), None
        if vendor == "tesla" and isinstance(value, dict):
            if value.get("password") == REDACTED and value.get("email") in self.credentials.tesla_passwords:
                value["password"] = self.credentials.tesla_passwords[value["email"]]
            if value.get("refresh") == REDACTED and self.tesla_refresh:
                value["refresh"] = self.tesla_refresh
        return json.dumps(value).encode("utf-8"), value

    def _learn_tokens(self, answer: httpx.Response) -> None:
        try:
            data = answer.json()
        except ValueError:
            return
        token = data.get("token") if isinstance(data, dict) else None
        holder = token if isinstance(token, dict) else data if isinstance(data, dict) else {}
        access = holder.get("access_token") or holder.get("access")
        refresh = holder.get("refresh_token") or holder.get("refresh")
        if isinstance(access, str):
            self.tesla_access = access
        if isinstance(refresh, str):
            self.tesla_refresh = refresh
