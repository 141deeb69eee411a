"""TeSLA CE permission matrix: every kind of caller × the 21 route groups × GET/POST/PUT/PATCH/DELETE.

`EXPECTED` is written out by hand from the vendor reference's §2.2 table (and §0 for the routes),
never read from `permissions.MATRIX`: a wrong rule in the implementation makes a case fail.
The test asserts what the permission layer decides, 403 or not. Requests that pass it change
nothing: writes carry a JSON list (400 where a body is read), DELETE targets a missing leaf id
under real parents (404), and methods a route lacks answer 405 (only after the permission check,
§0). So one app serves the whole module without a reset.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

I1 = "/api/v2/institution/1"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
INVALID_BODY: list[object] = []  # a JSON list: 400 "Expected a dictionary" wherever a body is validated

# Callers: None = no Authorization header; "approle" = a module token; else (email, password).
# NOU (institution 1) is the institution of every path below; the CIT admin is a stranger to it.
CALLERS: dict[str, tuple[str, str] | str | None] = {
    "anonymous": None,
    "global_admin": ("admin@tesla.example", "tesla-admin"),
    "inst_admin": ("inst-admin@tesla.example", "tesla-admin"),
    "legal": ("aina.roca@nou.example", "tesla-member"),  # user 11: legal flag only, in no course
    "send": ("arnau.costa@nou.example", "tesla-member"),  # user 14: SEND flag only, in no course
    "data": ("data-admin@tesla.example", "tesla-admin"),  # user 3: data flag only
    "member": ("member@tesla.example", "tesla-member"),  # user 5: no flag, no course
    "instructor": ("marta.vidal@nou.example", "tesla-member"),  # user 7: instructor of course 1
    "learner": ("oriol.pons@nou.example", "tesla-learner"),  # learner 16 of course 1, owner of report 5
    "module": "approle",  # VLE 1's AppRole token
    "other_institution": ("cit-admin@tesla.example", "tesla-admin"),  # institution admin of CIT (2)
}
ROLES = tuple(CALLERS)


def urls(detail: str, collection: str, missing: str) -> dict[str, str]:
    """POST goes to the collection, DELETE to a missing id (404 once allowed), the rest to a seeded record."""
    return {"GET": detail, "POST": collection, "PUT": detail, "PATCH": detail, "DELETE": missing}


C1 = f"{I1}/course/1"  # course 1: instructor 7, learners incl. 16
A1 = f"{C1}/activity/1"
R5 = f"{A1}/report/5"  # learner 16's report of activity 1
# One representative route per group of §0, with seeded ids.
GROUP_URLS: dict[str, dict[str, str]] = {
    "institution": {method: f"{I1}/" for method in METHODS},  # no POST/DELETE on the route: 405 once allowed
    "vle": urls(f"{I1}/vle/1/", f"{I1}/vle/", f"{I1}/vle/999/"),
    "course": urls(f"{C1}/", f"{I1}/course/", f"{I1}/course/999/"),
    "group": urls(f"{I1}/group/1/", f"{I1}/group/", f"{I1}/group/999/"),
    "group_courses": urls(f"{I1}/group/1/course/1/", f"{I1}/group/1/course/", f"{I1}/group/1/course/999/"),
    "ic": urls(f"{I1}/ic/2/", f"{I1}/ic/", f"{I1}/ic/999/"),
    "ic_documents": urls(f"{I1}/ic/2/document/en/", f"{I1}/ic/2/document/", f"{I1}/ic/2/document/zz/"),
    "instrument": urls(f"{I1}/instrument/1/", f"{I1}/instrument/", f"{I1}/instrument/999/"),
    "ui": urls(f"{I1}/ui/8/", f"{I1}/ui/", f"{I1}/ui/999/"),
    "user": urls(f"{I1}/user/10/", f"{I1}/user/", f"{I1}/user/999/"),
    "instructor": urls(f"{I1}/instructor/8/", f"{I1}/instructor/", f"{I1}/instructor/999/"),
    # The learner's own id, so that its own-path read is exercised (the list is not its own path).
    "learner": urls(f"{I1}/learner/16/", f"{I1}/learner/", f"{I1}/learner/999/"),
    "send": urls(f"{I1}/send/1/", f"{I1}/send/", f"{I1}/send/999/"),
    "learner_send": urls(f"{I1}/learner/15/send/2/", f"{I1}/learner/15/send/", f"{I1}/learner/15/send/999/"),
    "course_instructor": urls(f"{C1}/instructor/7/", f"{C1}/instructor/", f"{C1}/instructor/999/"),
    "course_learner": urls(f"{C1}/learner/16/", f"{C1}/learner/", f"{C1}/learner/999/"),
    "course_activity": urls(f"{A1}/", f"{C1}/activity/", f"{C1}/activity/999/"),
    "activity_instrument": urls(f"{A1}/instrument/1/", f"{A1}/instrument/", f"{A1}/instrument/999/"),
    "activity_report": urls(f"{R5}/", f"{A1}/report/", f"{A1}/report/999/"),
    "report_request": urls(f"{R5}/request/9/", f"{R5}/request/", f"{R5}/request/999/"),
    "report_audit": urls(f"{R5}/audit/1/", f"{R5}/audit/", f"{R5}/audit/999/"),  # keyed by instrument id
}

# Access levels: which methods pass the permission check.
LEVELS = {
    "-": frozenset(),
    "R": frozenset({"GET"}),  # read-only (GET/HEAD/OPTIONS)
    "N": frozenset({"GET", "POST", "PUT", "PATCH"}),  # all but DELETE
    "F": frozenset(METHODS),
}
# The §2.2 matrix, by hand. Columns in ROLES order:
# anonymous, global_admin, inst_admin, legal, send, data, member, instructor, learner, module, other_institution.
# Modules are never members (§1.1) and a foreign institution fails every member rule (§2.1): both
# are "-" wherever a rule exists; public groups have no rule at all, so everyone passes.
EXPECTED: dict[str, str] = {
    # GA RO · IA read+PUT/PATCH own (POST/DELETE then 405: the route lacks them) · MEMBER RO own
    "institution":         "- R F R R R R R R - -",
    "vle":                 "- R F - - - - - - - -",  # GA RO · IA full
    "course":              "- R N R R F R R R - -",  # GA RO · MEMBER RO · IA all but DELETE · DATA full
    "group":               "F F F F F F F F F F F",  # public [RUN]
    "group_courses":       "F F F F F F F F F F F",  # public (PUT/PATCH: 405 for all)
    "ic":                  "F F F F F F F F F F F",  # public
    "ic_documents":        "F F F F F F F F F F F",  # public
    "instrument":          "F F F F F F F F F F F",  # public, read-only: writes 405 for all, never 403
    "ui":                  "- F F - - - - - - - -",  # GA full (not read-only) · IA full
    "user":                "- R N R R F R R R - -",  # GA RO · IA no DELETE · LEGAL RO · DATA full · MEMBER RO
    "instructor":          "- R F R - R - - - - -",  # GA RO · IA full · LEGAL RO · DATA RO
    # GA RO · IA full · LEGAL RO · DATA RO · a learner RO on its own /learner/<id>/ (the list → 403)
    "learner":             "- R F R - R - - R - -",
    "send":                "- R F - F - - - - - -",  # GA RO · IA full · SEND full
    "learner_send":        "- R F - F - - - - - -",  # as send
    # GA RO · IA full · LEGAL RO · DATA RO · course LRN RO · course INSTR full
    "course_instructor":   "- R F R - R - F R - -",
    "course_learner":      "- R F - - R - F R - -",  # GA RO · IA full · DATA RO · INSTR full · LRN RO
    "course_activity":     "- R F - - - - F R - -",  # GA RO · IA full · INSTR full · LRN RO
    "activity_instrument": "- R F - - - - F R - -",  # as activity
    # GA/IA/DATA RO · INSTR RO · LRN RO (NOU has allow_learner_report; report 5 is the learner's own)
    "activity_report":     "- R R - - R - R R - -",
    "report_request":      "- R R - - - - R - - -",  # GA/IA RO · INSTR RO; DATA and learners 403
    # as reports, but learners also need allow_learner_audit, which NOU lacks (403 "Not allowed")
    "report_audit":        "- R R - - R - R - - -",
}


def test_expected_table_covers_every_group_and_role() -> None:
    assert len(GROUP_URLS) == 21 and set(EXPECTED) == set(GROUP_URLS)
    assert all(len(row.split()) == len(ROLES) for row in EXPECTED.values())


def _headers(client: TestClient, caller: tuple[str, str] | str | None) -> dict[str, str]:
    if caller is None:
        return {}
    if caller == "approle":
        response = client.post("/api/v2/auth/approle",
                               json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    else:
        email, password = caller
        response = client.post("/api/v2/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token = response.json()["token"]["access_token"]
    return {"Authorization": f"JWT {token}"}


@pytest.fixture(scope="module")
def tokens(tesla_module_client: TestClient) -> dict[str, dict[str, str]]:
    assert tesla_module_client.post("/__admin/reset").status_code == 200
    return {role: _headers(tesla_module_client, caller) for role, caller in CALLERS.items()}


def _call(client: TestClient, method: str, url: str, headers: dict[str, str]):
    body = {} if method in ("GET", "DELETE") else {"json": INVALID_BODY}
    return client.request(method, url, headers=headers, **body)


@pytest.mark.parametrize("group", list(GROUP_URLS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(tesla_module_client: TestClient, tokens, role: str, group: str) -> None:
    allowed = LEVELS[EXPECTED[group].split()[ROLES.index(role)]]
    wrong = []
    for method in METHODS:
        url = GROUP_URLS[group][method]
        response = _call(tesla_module_client, method, url, tokens[role])
        denied = response.status_code == 403
        if denied == (method in allowed) or response.status_code in (401, 500):
            wrong.append(f"{method} {url} -> {response.status_code} {response.text[:120]}")
    assert not wrong, f"{role} on {group} (expected to pass: {sorted(allowed)}):\n" + "\n".join(wrong)


@pytest.mark.parametrize(("role", "method", "url", "status"), [
    # §0: a method the route lacks is 405 only once the permission check passes, else 403.
    ("inst_admin", "POST", f"{I1}/", 405),
    ("inst_admin", "DELETE", f"{I1}/", 405),
    ("member", "POST", f"{I1}/", 403),
    ("anonymous", "DELETE", f"{I1}/", 403),
    ("inst_admin", "PUT", f"{I1}/vle/", 405),
    ("legal", "PUT", f"{I1}/vle/", 403),
    ("anonymous", "PUT", f"{I1}/instrument/1/", 405),  # public, read-only
    ("module", "POST", f"{I1}/instrument/", 405),
    ("anonymous", "PATCH", f"{I1}/group/1/course/1/", 405),  # public: list, add, retrieve, remove
    ("global_admin", "DELETE", f"{R5}/", 403),  # read-only for everyone: writes are 403, never 405
    ("instructor", "PUT", f"{R5}/request/9/", 403),
    # The institution list: global admins only, read-only (§2.2).
    ("global_admin", "GET", "/api/v2/institution/", 200),
    ("global_admin", "POST", "/api/v2/institution/", 403),
    ("inst_admin", "GET", "/api/v2/institution/", 403),
    ("anonymous", "GET", "/api/v2/institution/", 403),
    ("module", "GET", "/api/v2/institution/", 403),
    # A learner reads only its own learner path; the IC action is the learner's alone (IA → 403).
    ("learner", "GET", f"{I1}/learner/17/", 403),
    ("inst_admin", "POST", f"{I1}/learner/16/ic/", 403),
    ("learner", "GET", f"{I1}/learner/16/enrolment/", 200),  # any member, any learner
    ("member", "GET", f"{I1}/learner/16/enrolment/", 200),
    ("member", "DELETE", f"{I1}/learner/16/enrolment/", 403),  # DELETE: data admins
    ("other_institution", "GET", f"{I1}/learner/16/enrolment/", 403),
    ("global_admin", "GET", f"{I1}/learner/16/enrolment/", 403),  # §2.2 names members only, not GA
    ("global_admin", "GET", f"{I1}/user/10/activities/", 200),  # GA reads: a docs/tesla.md decision
    # A non-member's 403 comes before the lookup: a nonexistent institution is 403 too (§2.1).
    ("inst_admin", "GET", "/api/v2/institution/99/user/", 403),
    ("global_admin", "GET", "/api/v2/institution/99/", 404),
])
def test_status_around_the_permission_check(tesla_module_client: TestClient, tokens, role: str, method: str,
                                            url: str, status: int) -> None:
    response = _call(tesla_module_client, method, url, tokens[role])
    assert response.status_code == status, response.text


@pytest.mark.parametrize(("email", "password", "roles"), [
    ("cit-admin@tesla.example", "tesla-admin", ["ADMIN"]),
    ("yuki.tanaka@cit.example", "tesla-member", ["LEARNER", "LEGAL"]),
    ("felix.wagner@cit.example", "tesla-member", ["LEARNER", "SEND"]),
    ("oscar.lindqvist@cit.example", "tesla-member", ["DATA"]),
    ("grace.hopper-lee@cit.example", "tesla-member", ["INSTRUCTOR"]),
    ("maya.patel@cit.example", "tesla-learner", ["LEARNER"]),
])
def test_second_institution_has_a_login_of_every_role(tesla_module_client: TestClient, email: str, password: str,
                                                      roles: list[str]) -> None:
    headers = _headers(tesla_module_client, (email, password))
    institution = tesla_module_client.get("/api/v2/auth/profile", headers=headers).json()["institution"]
    assert (institution["acronym"], sorted(institution["roles"])) == ("CIT", roles)
    assert tesla_module_client.get(f"{I1}/user/", headers=headers).status_code == 403
