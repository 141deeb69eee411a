"""Shared pieces of the tests of TeSLA's VLE session actions, attachments and learner API.

They call as the seeded VLE 1 module (NOU Moodle) and as NOU learners, on seeded course 1:
activity 1 (quiz "17": face recognition online, keystroke dynamics as its SEND alternative),
activity 2 (assign "21": anti-plagiarism and forensic analysis) and activity 3 (quiz "25",
disabled). The clock is frozen at a known instant so that storage names and tokens are exact.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.testclient import TestClient

from tesla_course_support import login

VLE = "/api/v2/vle/1"
ASSESSMENT = f"{VLE}/assessment/"
LAUNCHER = f"{VLE}/launcher/"
MIDTERM = {"vle_activity_type": "quiz", "vle_activity_id": "17"}  # activity 1
ESSAY = {"vle_activity_type": "assign", "vle_activity_id": "21"}  # activity 2
FINAL = {"vle_activity_type": "quiz", "vle_activity_id": "25"}  # activity 3, not enabled
NOW = "2026-03-02T10:00:00.123456Z"
STAMP = "20260302_100000_123456"  # NOW as a stored sample's name prefix
PROCESSING = "5s"  # the emulated workers' delay
NOT_FOUND_PAGE = "<h1>Not Found</h1>"
# Seeded learners of course 1 and their uid: 16 (consent 1.1.0, can be analysed by face
# recognition), 17 (no consent, face model at 0 %), 12 (consent 1.0.0: no longer valid), 15
# (consent rejected), 9 (consent 1.1.2, face model at 40 %).
UIDS = {9: "nou-1003", 12: "nou-1006", 15: "nou-1009", 16: "nou-1010", 17: "nou-1011"}


def freeze(client: TestClient, when: str = NOW) -> None:
    assert client.post("/__admin/clock", json={"set": when, "freeze": True}).status_code == 200


def advance(client: TestClient, duration: str = PROCESSING) -> None:
    assert client.post("/__admin/clock", json={"advance": duration}).status_code == 200


def module_headers(client: TestClient, role_id: str = "tesla-mock-role",
                   secret_id: str = "tesla-mock-secret") -> dict[str, str]:
    answer = client.post("/api/v2/auth/approle", json={"role_id": role_id, "secret_id": secret_id})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"JWT {answer.json()['token']['access_token']}"}


def learner_uuid(client: TestClient, user_id: int, institution: int = 1) -> str:
    admin = login(client, "inst-admin@tesla.example" if institution == 1 else "cit-admin@tesla.example")
    answer = client.get(f"/api/v2/institution/{institution}/learner/{user_id}/", headers=admin)
    assert answer.status_code == 200, answer.text
    return answer.json()["learner_id"]


def launcher_pair(client: TestClient, module: dict[str, str], uid: str, target: str = "DASHBOARD") -> dict[str, str]:
    """A launcher for `uid` traded for its token pair, as the dashboard does."""
    launcher = client.post(LAUNCHER, json={"vle_user_uid": uid, "target": target}, headers=module)
    assert launcher.status_code == 200, launcher.text
    pair = client.post("/api/v2/auth/token", json={"id": launcher.json()["id"], "token": launcher.json()["token"]})
    assert pair.status_code == 200, pair.text
    return pair.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"JWT {token}"}


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload (the mock keeps base64 padding, as the real server does)."""
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1]))


def media_key(url: str) -> str:
    """The storage key of a `<mount>/media/<key>` URL."""
    return url.split("/media/", 1)[1]


def sample(learner_id: str, **extra: Any) -> dict[str, Any]:
    """An enrolment sample as the web plugin sends it."""
    body: dict[str, Any] = {"learner_id": learner_id, "data": "data:image/png;base64,iVBORw0KGgo=", "instruments": [1],
                            "metadata": {"mimetype": "image/png", "filename": "capture.webplugin",
                                         "created_at": NOW, "context": {}}}
    body.update(extra)
    return body


def status(client: TestClient, iid: int, learner_id: str, headers: dict[str, str], *paths: str) -> list[tuple[str, Any]]:
    answer = client.post(f"/lapi/v1/status/{iid}/{learner_id}/", json={"learner_id": learner_id, "samples": list(paths)},
                         headers=headers)
    assert answer.status_code == 200, answer.text
    return [(item["status"], item["info"]) for item in answer.json()]
