"""A stand-in for an integration team's service: it reads the vendors' base URLs from its
environment, as a real service would, and calls each once. Standard library only.

In docker-compose.yml it runs once the mock is healthy and exits 0 when every call answered
as expected, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request


def call(method: str, url: str, headers: dict[str, str], body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (URLs from our own env)
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main() -> int:
    titus, litmos, tesla = (os.environ[name] for name in ("TITUS_BASE_URL", "LITMOS_BASE_URL", "TESLA_BASE_URL"))
    checks = []
    status, body = call("GET", f"{titus}/user/3", {"Authorization": f"Bearer {os.environ['TITUS_TOKEN']}"})
    checks.append(("Titus GET /user/3", status == 200, json.loads(body).get("username") if status == 200 else body))
    status, body = call("GET", f"{litmos}/users?source=compose-example&limit=1&format=json",
                        {"apikey": os.environ["LITMOS_API_KEY"]})
    checks.append(("Litmos GET /users", status == 200, f"{len(json.loads(body))} user(s)" if status == 200 else body))
    login = json.dumps({"email": os.environ["TESLA_EMAIL"], "password": os.environ["TESLA_PASSWORD"]}).encode()
    status, body = call("POST", f"{tesla}/auth/login", {"Content-Type": "application/json"}, login)
    checks.append(("TeSLA POST /auth/login", status == 200, "token issued" if status == 200 else body))
    for name, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
