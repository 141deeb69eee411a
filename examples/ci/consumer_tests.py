"""A stand-in for your test suite in CI: it talks to the mock service in this job's own namespace
and checks, through the admin API, that the mock saw exactly its calls. Standard library only.

Environment (set by the CI templates beside this file):
  LMS_MOCK_URL          the mock's root, e.g. http://localhost:8080 (GitHub) or http://lms-mock:8080 (GitLab)
  LMS_MOCK_NAMESPACE    this job's namespace: parallel jobs on one mock never see each other's data
  LMS_MOCK_ADMIN_TOKEN  the service's MOCKSERVER_ADMIN_TOKEN, when it sets one

Replace it with your own tests; keep the two ideas: wait for the service's health (GitLab starts
the job without waiting for it), and put the namespace in every vendor URL.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any


def call(method: str, url: str, headers: dict[str, str] | None = None, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**(headers or {}), **({"Content-Type": "application/json"} if data else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (the job's own service)
            raw = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def wait_for_health(root: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if call("GET", f"{root}/__admin/health")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the mock at {root} did not become healthy in {seconds:.0f} s")
        time.sleep(1)


def main() -> int:
    root = os.environ["LMS_MOCK_URL"].rstrip("/")
    namespace = os.environ["LMS_MOCK_NAMESPACE"]
    token = os.environ.get("LMS_MOCK_ADMIN_TOKEN")
    admin_headers = {"Authorization": f"Bearer {token}"} if token else {}
    wait_for_health(root)
    base = f"{root}/ns/{namespace}"
    checks = []
    status, body = call("GET", f"{base}/titus/api/v1/user/2", {"Authorization": "Bearer titus-admin-token"})
    checks.append(("Titus GET /user/2", status == 200, body.get("username") if status == 200 else body))
    status, body = call("GET", f"{base}/litmos/v1.svc/users?source=ci-example&limit=1&format=json",
                        {"apikey": "litmos-demo-key"})
    checks.append(("Litmos GET /users", status == 200, f"{len(body)} user(s)" if status == 200 else body))
    status, body = call("POST", f"{base}/tesla/api/v2/auth/login",
                        body={"email": "admin@tesla.example", "password": "tesla-admin"})
    checks.append(("TeSLA POST /auth/login", status == 200, "token issued" if status == 200 else body))
    status, body = call("POST", f"{root}/__admin/requests/count?namespace={namespace}", admin_headers, {})
    seen = body.get("count") if status == 200 else body
    checks.append((f"namespace {namespace} saw this job's calls", seen == 3, seen))
    for name, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
