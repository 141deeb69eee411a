"""The hostile-input corpus: what a careless or hostile neighbour sends a shared mock.

Each case is data: where it goes and what it carries. `test_hostile_inputs.py` sends every
one to a real server (or hands it to the file loaders and the CLI) and checks the answers: a
clear 4xx, never a 5xx or a silently closed connection, nothing changed, memory flat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TITUS_AUTH = {"Authorization": "Bearer titus-admin-token"}
LITMOS_AUTH = {"apikey": "litmos-demo-key"}
JSON = {"Content-Type": "application/json"}
XML = {"Content-Type": "application/xml"}


@dataclass(frozen=True)
class HttpCase:
    """One well-formed HTTP request with hostile content."""

    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    needs_tesla_token: bool = False  # an institution admin's JWT is added as Authorization


@dataclass(frozen=True)
class RawCase:
    """Bytes written to the socket as they are: malformed or abusive HTTP."""

    name: str
    data: bytes


# -- bodies --------------------------------------------------------------------------------------

DEEP_LIST = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 3_000 + b"1" + b"}" * 3_000
JSON_BODIES: dict[str, bytes] = {
    "deep-list": DEEP_LIST,
    "deep-object": DEEP_OBJECT,
    "deep-in-field": b'{"username": ' + DEEP_LIST + b"}",
    "huge-integer": b'{"id": ' + b"9" * 5_000 + b"}",
    "huge-float": b'{"id": 1e999999}',
    "nan": b'{"id": NaN}',
    "infinity": b'{"id": -Infinity}',
    "lone-surrogate": b'{"username": "\\ud800", "password": "x"}',
    "invalid-utf8": b'{"username": "\xff\xfe\xfd"}',
    "bom": b'\xef\xbb\xbf{"username": "bom"}',
    "utf16": '{"username": "x"}'.encode("utf-16"),
    "empty": b"",
    "null": b"null",
    "array": b"[]",
    "string": b'"text"',
    "number": b"42",
    "truncated": b'{"username": "a',
    "trailing-garbage": b'{"username": "a"} xyz',
    "nul-key": b'{"\\u0000": 1, "user\\u0000name": "x"}',
    "duplicate-keys": b'{"username": "a", "username": "b"}',
    "wide-array": b"[" + b"1," * 200_000 + b"1]",
    "many-keys": b"{" + b",".join(b'"k%d": %d' % (i, i) for i in range(20_000)) + b"}",
    "long-string": b'{"username": "' + b"a" * 1_000_000 + b'"}',
    "over-body-limit": b'{"username": "' + b"a" * (5 * 1024 * 1024) + b'"}',
    "control-chars": b'{"username": "\x01\x02\x1f"}',
    "wrong-types": b'{"username": [1], "email": {"a": 1}, "firstname": true, "lastname": 3.5}',
}
XML_BODIES: dict[str, bytes] = {
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
                      b'&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;'
                      b'&c;&c;&c;&c;">]><User><UserName>&d;</UserName></User>',
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                       b"<User><UserName>&x;</UserName></User>",
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE u SYSTEM "http://127.0.0.1:9/evil.dtd"><User/>',
    "deep-xml": b"<User>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</User>",
    "unclosed": b"<User><UserName>x</User>",
    "not-xml": b"plain text",
    "nul-byte": b"<User><UserName>a\x00b</UserName></User>",
    "processing-instruction": b'<?xml-stylesheet href="http://127.0.0.1:9/x"?><User/>',
    "huge-attribute": b'<User a="' + b"x" * 1_000_000 + b'"/>',
    "many-elements": b"<User>" + b"<X/>" * 100_000 + b"</User>",
    "latin1-declared-utf8": b'<?xml version="1.0" encoding="UTF-8"?><User><UserName>\xe9</UserName></User>',
    "cdata-script": b"<User><UserName><![CDATA[<script>x</script>]]></UserName></User>",
}

LITMOS_USERS = "/litmos/v1.svc/users?source=hostile"


def http_cases() -> list[HttpCase]:
    cases: list[HttpCase] = []
    json_targets = [
        ("titus-create-user", "POST", "/titus/api/v1/user", TITUS_AUTH, False),
        ("titus-update-user", "PUT", "/titus/api/v1/user/5", TITUS_AUTH, False),
        ("litmos-create-user-json", "POST", LITMOS_USERS + "&format=json", LITMOS_AUTH, False),
        ("tesla-login", "POST", "/tesla/api/v2/auth/login", {}, False),
        ("tesla-create-user", "POST", "/tesla/api/v2/institution/1/user/", {}, True),
        ("admin-clock", "POST", "/__admin/clock", {}, False),
        ("admin-faults", "POST", "/__admin/faults", {}, False),
        ("admin-count", "POST", "/__admin/requests/count", {}, False),
        ("admin-state", "PUT", "/__admin/state/titus", {}, False),
        ("admin-ratelimits", "PUT", "/__admin/ratelimits", {}, False),
    ]
    for target, method, path, headers, tesla in json_targets:
        for body_name, body in JSON_BODIES.items():
            cases.append(HttpCase(f"{target}/{body_name}", method, path, {**headers, **JSON}, body, tesla))
    for body_name, body in XML_BODIES.items():
        cases.append(HttpCase(f"litmos-create-user-xml/{body_name}", "POST", LITMOS_USERS, {**LITMOS_AUTH, **XML}, body))
        cases.append(HttpCase(f"admin-scenario-xml/{body_name}", "POST", "/__admin/scenarios",
                              {"Content-Type": "application/yaml"}, body))
    yaml_bodies = {
        "alias-bomb": b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                      b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        "python-tag": b"faults: !!python/object/apply:os.system ['true']\n",
        "deep-flow": b"faults: " + b"[" * 5_000 + b"]" * 5_000 + b"\n",
        "deep-block": b"faults:\n" + b"".join(b"  " * i + b"- \n" for i in range(300)),
        "huge-int": b"clock: {advance: " + b"9" * 5_000 + b"}\n",
        "binary": bytes(range(256)) * 4,
        "tab-indent": b"faults:\n\t- x\n",
        "anchors-only": b"&a\n",
        "multi-doc": b"faults: []\n---\nfaults: []\n",
        "timestamp": b"clock: {set: 2030-01-01}\n",
    }
    for body_name, body in yaml_bodies.items():
        cases.append(HttpCase(f"admin-scenario-yaml/{body_name}", "POST", "/__admin/scenarios",
                              {"Content-Type": "application/yaml"}, body))
    paths = [
        "/titus/api/v1/user/99999999999999999999999999", "/titus/api/v1/user/-1", "/titus/api/v1/user/%00",
        "/titus/api/v1/user/%F0%9F%98%80", "/titus/api/v1/user/1e3", "/titus/api/v1/users?page=99999999999999999999",
        "/titus/api/v1/users?perpage=-5", "/titus/api/v1/users?page=%00", "/titus/api/v1/../../../etc/passwd",
        "/litmos/v1.svc/users/%2e%2e%2f%2e%2e?source=x", "/litmos/v1.svc/users?source=x&limit=9999999999999",
        "/litmos/v1.svc/users?source=x&start=-1", "/litmos/v1.svc/users?source=" + "s" * 3_000,
        "/tesla/api/v2/institution/99999999999999999999/user/", "/tesla/api/v2/institution/1/user/?limit=-1",
        "/tesla/api/v2/institution/1/user/?offset=99999999999999999999", "/tesla/api/v2/institution/%00/",
        "/__admin/requests?limit=0", "/__admin/requests?limit=99999999999999", "/__admin/requests?status=abc",
        "/__admin/requests?before=-1", "/__admin/state/acme", "/__admin/faults/%00", "/ns/%2e%2e/__admin/health",
        "/ns/" + "n" * 500 + "/__admin/clock", "/ns/a%2Fb/titus/api/v1/user/5",
        "/titus/api/v1/users?" + "&".join(f"p{i}=1" for i in range(3_000)),
    ]
    for index, path in enumerate(paths):
        headers = LITMOS_AUTH if path.startswith("/litmos") else TITUS_AUTH if path.startswith("/titus") else {}
        cases.append(HttpCase(f"path-{index}", "GET", path, headers, None, path.startswith("/tesla")))
    header_sets = {
        "bearer-only": {"Authorization": "Bearer"},
        "long-token": {"Authorization": "Bearer " + "t" * 10_000},
        "jwt-garbage": {"Authorization": "JWT a.b.c"},
        "jwt-spaces": {"Authorization": "JWT a b c"},
        "latin1-apikey": {"apikey": "clé"},
        "mock-status-superscript": {**TITUS_AUTH, "X-Mock-Status": "²"},
        "mock-status-999": {**TITUS_AUTH, "X-Mock-Status": "999"},
        "mock-delay-huge": {**TITUS_AUTH, "X-Mock-Delay": "99999999999"},
        "mock-delay-negative": {**TITUS_AUTH, "X-Mock-Delay": "-5"},
        "prefer-garbage": {**TITUS_AUTH, "Prefer": "code=" + "9" * 100},
        "accept-garbage": {**TITUS_AUTH, "Accept": "\x7f/\x7f"},
        "content-type-utf16": {**TITUS_AUTH, "Content-Type": "application/json; charset=utf-16"},
        "content-type-garbage": {**TITUS_AUTH, "Content-Type": ";;;"},
    }
    for name, headers in header_sets.items():
        target = "/tesla/api/v2/institution/1/user/" if headers.get("Authorization", "").startswith("JWT") \
            else "/litmos/v1.svc/users?source=x" if "apikey" in headers else "/titus/api/v1/user/5"
        cases.append(HttpCase(f"header/{name}", "GET", target, headers))
    return cases


def raw_cases() -> list[RawCase]:
    host = b"Host: 127.0.0.1\r\n"
    return [
        RawCase("garbage", b"GARBAGE\r\n\r\n"),
        RawCase("http-9", b"GET /titus/api/v1/user/5 HTTP/9.9\r\n" + host + b"\r\n"),
        RawCase("header-without-colon", b"GET / HTTP/1.1\r\n" + host + b"Bad Header\r\n\r\n"),
        RawCase("space-in-header-name", b"GET / HTTP/1.1\r\n" + host + b"Bad Name: x\r\n\r\n"),
        RawCase("nul-in-header", b"GET / HTTP/1.1\r\n" + host + b"X-A: a\x00b\r\n\r\n"),
        RawCase("bare-cr-in-header", b"GET / HTTP/1.1\r\n" + host + b"X-A: a\rb\r\n\r\n"),
        RawCase("two-content-lengths", b"POST /__admin/clock HTTP/1.1\r\n" + host
                + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
        RawCase("negative-content-length", b"POST /__admin/clock HTTP/1.1\r\n" + host + b"Content-Length: -1\r\n\r\n"),
        RawCase("word-content-length", b"POST /__admin/clock HTTP/1.1\r\n" + host + b"Content-Length: ten\r\n\r\n"),
        RawCase("bad-chunk-size", b"POST /titus/api/v1/user HTTP/1.1\r\n" + host
                + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + b"x" * 100_000),
        RawCase("chunked-and-length", b"POST /__admin/clock HTTP/1.1\r\n" + host
                + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"),
        RawCase("unknown-transfer-encoding", b"POST /__admin/clock HTTP/1.1\r\n" + host
                + b"Transfer-Encoding: gzip\r\n\r\n"),
        RawCase("url-100k", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("header-1mib", b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * (1024 * 1024) + b"\r\n\r\n"),
        RawCase("many-headers", b"GET / HTTP/1.1\r\n" + host + b"".join(b"X-%d: v\r\n" % i for i in range(10_000))
                + b"\r\n"),
        RawCase("tab-in-request-line", b"GET\t/ HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("lowercase-method", b"get /__admin/health HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("absolute-uri", b"GET http://127.0.0.1/__admin/health HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("connect", b"CONNECT 127.0.0.1:443 HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("http10-no-host", b"GET /__admin/health HTTP/1.0\r\n\r\n"),
        RawCase("non-ascii-path", b"GET /titus/api/v1/user/\xff HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("obs-fold", b"GET / HTTP/1.1\r\n" + host + b"X-A: b\r\n c\r\n\r\n"),
        RawCase("no-host-http11", b"GET /__admin/health HTTP/1.1\r\n\r\n"),
        RawCase("pipelined-garbage", b"GET /__admin/health HTTP/1.1\r\n" + host + b"\r\nGARBAGE\r\n\r\n"),
        RawCase("lf-only", b"GET /__admin/health HTTP/1.1\n" + host.replace(b"\r\n", b"\n") + b"\n"),
        RawCase("empty-method", b" / HTTP/1.1\r\n" + host + b"\r\n"),
        RawCase("websocket-upgrade", b"GET /titus/api/v1/user/5 HTTP/1.1\r\n" + host
                + b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"),
        RawCase("h2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        RawCase("tls-hello", bytes.fromhex("160301002a010000260303") + b"\x00" * 40),
        RawCase("body-over-limit", b"POST /titus/api/v1/user HTTP/1.1\r\n" + host
                + b"Authorization: Bearer titus-admin-token\r\nContent-Type: application/json\r\n"
                + b"Content-Length: %d\r\n\r\n" % (6 * 1024 * 1024) + b"{" * (6 * 1024 * 1024)),
    ]


def fixture_files() -> dict[str, bytes]:
    """Seed files for titus.yaml: each must be refused with one line, never a traceback."""
    return {
        "deep": b"users: " + b"[" * 100 + b"]" * 100 + b"\n",
        "very-deep": b"users: " + b"[" * 5_000 + b"]" * 5_000 + b"\n",
        "alias-bomb": b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                      b"users: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
        "python-tag": b"users: !!python/object/apply:os.system ['true']\n",
        "binary": bytes(range(256)) * 4,
        "not-a-mapping": b"- 1\n- 2\n",
        "empty": b"",
        "wrong-record": b"users:\n  - {id: abc}\n",
        "invalid-yaml": b"users: [\n",
        "huge-id": b"users:\n  - {id: " + b"9" * 5_000 + b"}\n",
    }


def scenario_files() -> dict[str, bytes]:
    return {
        "deep": b"faults: " + b"[" * 100 + b"]" * 100 + b"\n",
        "very-deep": b"faults: " + b"[" * 5_000 + b"]" * 5_000 + b"\n",
        "alias": b"a: &a {}\nfaults: [*a]\n",
        "python-tag": b"faults: !!python/object/apply:os.system ['true']\n",
        "binary": bytes(range(256)) * 4,
        "not-a-mapping": b"- 1\n",
        "unknown-key": b"widgets: 3\n",
        "bad-fault": b"faults:\n  - {match: {status: 99999}, action: {}}\n",
        "huge-int": b"clock: {advance: " + b"9" * 5_000 + b"}\n",
    }


CLI_ARGUMENTS: list[list[str]] = [
    ["--port", "70000"], ["--port", "-1"], ["--port", "http"], ["--vendor", "acme"], ["--seed", "x"],
    ["--journal-size", "0"], ["--journal-size", "-5"], ["--max-namespaces", "-1"], ["--namespace-ttl", "soon"],
    ["--namespace-ttl", "0s"], ["--litmos-rate-limit", "lots"], ["--litmos-auth-status", "500"],
    ["--log-level", "loud"], ["--fixtures", "/nonexistent-dir"], ["--host", ""], ["--max-header-bytes", "10"],
    ["--header-timeout", "0"], ["--header-timeout", "nan"], ["--body-timeout", "-1"], ["--max-connections", "-3"],
    ["--admin-token", "short"], ["--admin-token", "has space in it"], ["--journal-max-bytes", "1"],
    ["--max-body-bytes", "0"], ["--unknown-flag"],
]
