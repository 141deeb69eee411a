"""TeSLA CE activity reports, their requests and audits: read-only, levels, who may read what."""

from __future__ import annotations

import pytest

from tesla_course_support import INSTITUTION, NO_PERMISSION, NOT_FOUND, ids, login


@pytest.fixture
def client(tesla_client):
    return tesla_client

REPORTS = f"{INSTITUTION}/course/1/activity/1/report/"
NOT_ALLOWED = {"detail": "Not allowed"}


def test_report_list_and_detail(client) -> None:
    marta = login(client, "marta.vidal@nou.example")  # the course's instructor
    page = client.get(REPORTS, headers=marta).json()
    assert [row["id"] for row in page["results"]] == [1, 2, 3, 4, 5]
    first = page["results"][0]
    assert list(first) == ["id", "learner", "detail", "identity_level", "content_level", "integrity_level"]
    assert list(first["learner"]) == ["id", "uid", "first_name", "last_name", "email", "learner_id"]
    assert [item["instrument"] for item in first["detail"]] == ["Face Recognition", "Keystroke Dynamics"]
    assert first["identity_level"] in range(5) and isinstance(first["detail"][0]["result"], float)
    detail = client.get(f"{REPORTS}1/", headers=marta).json()
    assert detail["data"] == "http://testserver/media/reports/1/9/report.json"
    item = detail["detail"][0]
    assert (item["instrument_acronym"], len(item["learner_histogram"]), len(item["activity_histogram"])) == ("fr", 10, 10)
    assert set(item["thresholds"]) == {"warning_below", "alert_below"} and item["instrument_polarity"] in (1, -1)
    assert client.get(f"{REPORTS}6/", headers=marta).json() == NOT_FOUND  # activity 2's report
    assert client.get(f"{INSTITUTION}/course/1/activity/99/report/", headers=marta).json()["count"] == 0


def test_pending_report_detail(client, make_client) -> None:
    manager = login(client, "manager@tesla.example")
    assert client.get(REPORTS, headers=manager).json()["results"][3]["identity_level"] == 0  # pending
    assert client.get(f"{REPORTS}4/", headers=manager).json() == NOT_FOUND  # no histograms yet
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.get(f"{REPORTS}4/", headers=login(quirky, "manager@tesla.example"))
    assert (crash.status_code, crash.headers["content-type"]) == (500, "text/html; charset=utf-8")


@pytest.mark.parametrize(("query", "expected"), [
    ("identity_level=4", [1, 2]),
    ("identity_level__gte=3", [1, 2, 3, 5]),
    ("identity_level__lte=0", [4]),
    ("level=4", [1, 2]),
    ("level__lte=1", [1, 2, 3, 4, 5]),  # every report has a level of 1 somewhere
    ("learner__first_name=Oriol", [5]),
    ("learner__email=laia.ferrer@nou.example", [1]),
    ("search=ferrer", [1]),
    ("search=pons 3", [5]),
    ("ordering=-identity_level,-id", [2, 1, 5, 3, 4]),
    ("limit=2&offset=4", [5]),
])
def test_report_filters(client, query: str, expected: list[int]) -> None:
    assert ids(client, f"{REPORTS}?{query}", login(client, "manager@tesla.example")) == expected


def test_bad_report_filters(client) -> None:
    manager = login(client, "manager@tesla.example")
    response = client.get(f"{REPORTS}?identity_level=abc&level__gte=x", headers=manager)
    assert (response.status_code, response.json()) == (400, {
        "identity_level": ["Select a valid choice. abc is not one of the available choices."],
        "level__gte": ["Enter a number."]})
    assert client.get(f"{REPORTS}?content_level=7", headers=manager).status_code == 400


@pytest.mark.parametrize(("email", "reports", "requests", "audits"), [
    ("admin@tesla.example", 200, 200, 200),
    ("inst-admin@tesla.example", 200, 200, 200),
    ("data-admin@tesla.example", 200, 403, 200),
    ("marta.vidal@nou.example", 200, 200, 200),
    ("oriol.pons@nou.example", 200, 403, 403),  # a learner: audits need allow_learner_audit
    ("aina.roca@nou.example", 403, 403, 403),
    ("member@tesla.example", 403, 403, 403),
    ("cit-admin@tesla.example", 403, 403, 403),
])
def test_permission_matrix(client, email: str, reports: int, requests: int, audits: int) -> None:
    headers = login(client, email)
    assert client.get(REPORTS, headers=headers).status_code == reports
    assert client.get(f"{REPORTS}5/request/", headers=headers).status_code == requests
    assert client.get(f"{REPORTS}5/audit/", headers=headers).status_code == audits
    assert client.post(REPORTS, json={}, headers=headers).status_code in (403, 405)


def test_a_learner_reads_only_its_own_report(client) -> None:
    oriol = login(client, "oriol.pons@nou.example")
    assert ids(client, REPORTS, oriol) == [5]
    assert client.get(f"{REPORTS}5/", headers=oriol).json()["learner"]["first_name"] == "Oriol"
    assert client.get(f"{REPORTS}1/", headers=oriol).json() == NOT_FOUND
    assert client.get(f"{REPORTS}5/audit/", headers=oriol).json() == NOT_ALLOWED
    assert ids(client, REPORTS, login(client, "paula.mas@nou.example")) == []  # no report of hers
    manager = login(client, "manager@tesla.example")
    assert client.patch(f"{INSTITUTION}/", json={"allow_learner_audit": True}, headers=manager).status_code == 200
    assert [row["instrument"] for row in client.get(f"{REPORTS}5/audit/", headers=oriol).json()["results"]] == [1, 2]
    assert client.get(f"{REPORTS}1/audit/", headers=oriol).json()["count"] == 0  # not theirs
    assert client.patch(f"{INSTITUTION}/", json={"allow_learner_report": False}, headers=manager).status_code == 200
    assert client.get(REPORTS, headers=oriol).json() == NOT_ALLOWED


def test_requests(client, make_client) -> None:
    marta = login(client, "marta.vidal@nou.example")
    page = client.get(f"{REPORTS}1/request/", headers=marta).json()
    assert [row["id"] for row in page["results"]] == [1, 2]
    first = page["results"][0]
    assert list(first) == ["id", "result", "status", "data", "error_message", "created_at", "updated_at", "learner",
                           "activity", "session", "message_code", "instruments"]
    assert (first["learner"], first["activity"], first["instruments"]) == (9, 1, [1, 2])
    assert list(first["result"][0]) == ["id", "status", "result", "error_message", "code", "audit", "created_at",
                                        "updated_at", "request", "instrument", "message_code"]
    assert client.get(f"{REPORTS}1/request/2/", headers=marta).json()["id"] == 2
    assert client.get(f"{REPORTS}1/request/3/", headers=marta).json() == NOT_FOUND  # another learner's
    errored = client.get(f"{REPORTS}3/request/6/", headers=marta).json()
    assert (errored["status"], errored["message_code"]) == (4, "FR_NO_FACE")
    assert ids(client, f"{REPORTS}1/request/?instruments=2", marta) == [1, 2]
    assert ids(client, f"{REPORTS}1/request/?instruments=5", marta) == []
    bad = client.get(f"{REPORTS}1/request/?instruments=999", headers=marta)
    assert bad.json() == {"instruments": ["Select a valid choice. 999 is not one of the available choices."]}
    assert client.get(f"{REPORTS}99/request/", headers=marta).json() == NOT_FOUND
    quirky = make_client(vendor="tesla", quirks=True)
    crash = quirky.get(f"{REPORTS}99/request/", headers=login(quirky, "manager@tesla.example"))
    assert (crash.status_code, crash.content) == (500, b"Error processing the request.")


def test_audits_are_keyed_by_instrument(client) -> None:
    marta = login(client, "marta.vidal@nou.example")
    audit = client.get(f"{REPORTS}1/audit/2/", headers=marta).json()
    assert list(audit) == ["id", "enrolment", "confidence", "result", "identity_level", "content_level",
                           "integrity_level", "audit_data", "created_at", "updated_at", "report", "instrument"]
    assert (audit["id"], audit["report"], audit["instrument"], type(audit["result"])) == (2, 1, 2, int)
    assert audit["audit_data"] == "http://testserver/media/audits/1/2.json"
    assert client.get(f"{REPORTS}1/audit/5/", headers=marta).json() == NOT_FOUND
    assert client.get(f"{REPORTS}99/audit/", headers=marta).json()["count"] == 0
    assert client.get(f"{REPORTS}1/audit/x/", headers=marta).json() == NOT_FOUND


def test_reports_are_read_only(client) -> None:
    """Every report permission is read-only, and DRF checks permissions before the method."""
    manager = login(client, "manager@tesla.example")
    for method, path in (("POST", REPORTS), ("PUT", f"{REPORTS}1/"), ("DELETE", f"{REPORTS}1/audit/1/"),
                         ("PATCH", f"{REPORTS}1/request/1/")):
        response = client.request(method, path, json={}, headers=manager)  # read-only for everyone:
        assert (response.status_code, response.json()) == (403, NO_PERMISSION)  # 403 before any 405
    assert client.get(REPORTS).json() == NO_PERMISSION
