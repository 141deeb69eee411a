"""`mockserver seed`: a recording's answers become fixture files the mock starts on. A mock in
this process plays the vendor (no internet); sessions go through the recording proxy; the seed
files are then served by a second mock, which must hold what the vendor answered."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from mockserver.cli import main
from mockserver.config import Settings
from mockserver.testing.server import MockServerThread
from mockserver.traffic.recording import exchange_line
from mockserver.core.yamlcache import load_yaml
from recording_support import recording_proxy


LITMOS_KEY = {"apikey": "litmos-demo-key"}
TITUS = {"Authorization": "Bearer titus-admin-token"}
PACKAGED = Settings().packaged_fixtures


@pytest.fixture(scope="module")
def vendor() -> Iterator[str]:
    with MockServerThread(Settings(litmos_rate_limit="100000/60s")) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seeding")


def read_yaml(path: Path) -> dict:
    """As the server reads a seed (libyaml, through the parse cache keyed by the file's bytes): the
    packaged seeds and the ones just written and checked are parsed once, not again here."""
    return load_yaml(path, yaml.CSafeLoader)


def recorded(vendor_base: str, name: str, prefix: str, out: Path, session: Callable[[httpx.Client], None]) -> Path:
    """Reset the stand-in, then run `session` through the recording proxy; the recording's path."""
    assert httpx.post(f"{vendor_base}/__admin/reset").status_code == 200
    with recording_proxy(name, f"{vendor_base}{prefix}", out) as proxy, httpx.Client(base_url=proxy, timeout=30) as client:
        session(client)
    return out


def seed(recording: Path, out: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str, str]:
    code = main(["seed", str(recording), "--out", str(out), *more])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- Litmos: XML by default, JSON on request ------------------------------------------------------

def litmos_session(client: httpx.Client) -> None:
    query = "?source=app"
    boss = client.post(f"/users{query}", headers={**LITMOS_KEY, "Content-Type": "application/xml"},
                       content=b"<User><UserName>boss.person@example.org</UserName><FirstName>Boss</FirstName>"
                               b"<LastName>Person</LastName><Email>boss.person@example.org</Email>"
                               b"<AccessLevel>Learner</AccessLevel></User>")
    assert boss.status_code == 201, boss.text
    boss_id = re.search(r"<Id>([^<]+)</Id>", boss.text).group(1)
    made = client.post(f"/users{query}&format=json", headers=LITMOS_KEY, json={
        "UserName": "rec.person@example.org", "FirstName": "Rec", "LastName": "Person",
        "Email": "rec.person@example.org", "AccessLevel": "Learner"})
    assert made.status_code == 201, made.text
    changed = client.put(f"/users/{made.json()['Id']}{query}&format=json", headers=LITMOS_KEY,
                         json={**made.json(), "ManagerId": boss_id, "City": "Oslo"})
    assert changed.status_code == 200, changed.text
    assert client.get(f"/users/{made.json()['Id']}{query}", headers=LITMOS_KEY).status_code == 200
    gone = client.post(f"/users{query}&format=json", headers=LITMOS_KEY, json={
        "UserName": "gone.person@example.org", "FirstName": "Gone", "LastName": "Person",
        "Email": "gone.person@example.org", "AccessLevel": "Learner"}).json()
    assert client.delete(f"/users/{gone['Id']}{query}", headers=LITMOS_KEY).status_code == 200
    team = client.post(f"/teams{query}&format=json", headers=LITMOS_KEY, json={"Name": "Recorded Team",
                                                                               "Description": "from the recording"})
    assert team.status_code == 201, team.text
    courses = client.get(f"/courses{query}&format=json", headers=LITMOS_KEY).json()
    assert client.get(f"/courses/{courses[0]['Id']}/details{query}", headers=LITMOS_KEY).status_code == 200
    assert client.get(f"/courses/{courses[1]['Id']}/details{query}&format=json", headers=LITMOS_KEY).status_code == 200


@pytest.fixture(scope="module")
def litmos_recording(vendor: str, folder: Path) -> Path:
    return recorded(vendor, "litmos", "/litmos/v1.svc", folder / "litmos.jsonl", litmos_session)


@pytest.fixture(scope="module")
def litmos_seeded(litmos_recording: Path, folder: Path) -> tuple[Path, str]:
    """The seed folder written from the Litmos session, and what `mockserver seed` said."""
    out, said = folder / "litmos-seed", io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(["seed", str(litmos_recording), "--out", str(out)]) == 0, said.getvalue()
    return out, said.getvalue()


def test_a_litmos_session_seeds_a_mock_that_holds_what_the_vendor_answered(litmos_seeded: tuple[Path, str]) -> None:
    out, said = litmos_seeded
    assert "users: 2 new, 0 changed" in said and "teams: 1 new" in said
    assert "1 answered record(s) deleted later in the recording" in said
    written = read_yaml(out / "litmos.yaml")
    assert written["api_keys"] == read_yaml(PACKAGED / "litmos.yaml")["api_keys"]
    with MockServerThread(Settings(fixtures=out)) as mock, \
            httpx.Client(base_url=f"{mock.base_url}/litmos/v1.svc", headers=LITMOS_KEY) as client:
        found = client.get("/users?source=app&format=json&search=person").json()
        assert sorted(user["UserName"] for user in found) == ["boss.person@example.org", "rec.person@example.org"]
        person = next(user for user in found if user["UserName"].startswith("rec."))
        detail = client.get(f"/users/{person['Id']}?source=app&format=json").json()
        assert (detail["City"], detail["FirstName"]) == ("Oslo", "Rec")
        boss = next(user for user in found if user["UserName"].startswith("boss."))
        assert detail["ManagerId"] == boss["Id"]  # the manager, by the id this mock gave
        assert client.get("/teams?source=app&format=json&search=Recorded").json()[0]["Name"] == "Recorded Team"


def test_course_dates_from_xml_and_json_answers_are_written_in_the_seed_style(litmos_seeded: tuple[Path, str]) -> None:
    written = {course["Code"]: course for course in read_yaml(litmos_seeded[0] / "litmos.yaml")["courses"]}
    packaged = {course["Code"]: course for course in read_yaml(PACKAGED / "litmos.yaml")["courses"]}
    assert written.keys() == packaged.keys()
    for code, course in written.items():  # the details answers (XML, JSON) round-trip the seed's own dates
        assert course["CreatedDate"] == packaged[code]["CreatedDate"]
        assert course.get("Modules") == packaged[code].get("Modules")  # not in any answer: kept from the base


def test_seeding_the_same_recording_twice_writes_the_same_bytes(litmos_recording: Path, litmos_seeded: tuple[Path, str],
                                                                tmp_path: Path, capsys) -> None:
    assert seed(litmos_recording, tmp_path, capsys)[0] == 0
    assert (tmp_path / "litmos.yaml").read_bytes() == (litmos_seeded[0] / "litmos.yaml").read_bytes()


# -- Titus -----------------------------------------------------------------------------------------

def titus_session(client: httpx.Client) -> None:
    client.headers.update(TITUS)
    made = client.post("/user", json={"username": "rec.user", "firstname": "Rec", "lastname": "User",
                                      "email": "rec.user@example.org"})
    assert made.status_code == 201, made.text
    user_id = made.json()["id"]
    assert client.put(f"/user/{user_id}", json={"city": "Oslo"}).status_code == 200
    assert client.post("/course_enrolment", json={"courseid": 2, "userid": user_id}).status_code == 201
    assert client.put("/user/3", json={"city": "Bergen"}).status_code == 200  # a seeded user, changed
    gone = client.post("/user", json={"username": "gone.user", "firstname": "Gone", "lastname": "User",
                                      "email": "gone.user@example.org"}).json()
    assert client.delete(f"/user/{gone['id']}").status_code == 204
    left = client.post("/course_enrolment", json={"courseid": 3, "userid": user_id})
    assert left.status_code == 201, left.text
    assert client.delete(f"/course_enrolment/3/{user_id}").status_code == 204
    assert client.get("/roles").status_code == 200


@pytest.fixture(scope="module")
def titus_recording(vendor: str, folder: Path) -> Path:
    return recorded(vendor, "titus", "/titus/api/v1", folder / "titus.jsonl", titus_session)


def test_a_titus_session_seeds_users_and_enrolments_and_keeps_what_answers_never_show(
        titus_recording: Path, tmp_path: Path, capsys) -> None:
    code, out, err = seed(titus_recording, tmp_path, capsys)
    assert (code, err) == (0, "")
    assert "users: 1 new, 1 changed" in out and "course_enrolments: 1 new, 0 changed" in out
    written = read_yaml(tmp_path / "titus.yaml")
    packaged = read_yaml(PACKAGED / "titus.yaml")
    user3 = next(user for user in written["users"] if user["id"] == 3)
    packaged3 = next(user for user in packaged["users"] if user["id"] == 3)
    assert user3["city"] == "Bergen"
    assert user3.get("password") == packaged3.get("password")  # no answer holds it: the base's stays
    assert list(user3) [:2] == list(packaged3)[:2]  # the base's field order
    assert [user["username"] for user in written["users"]].count("gone.user") == 0
    with MockServerThread(Settings(fixtures=tmp_path)) as mock, \
            httpx.Client(base_url=f"{mock.base_url}/titus/api/v1", headers=TITUS) as client:
        user = client.get("/users?username=rec.user").json()["users"][0]
        assert user["city"] == "Oslo"
        enrolled = client.get("/course_users?courseid=2").json()
        assert "rec.user" in str(enrolled)
        assert "rec.user" not in str(client.get("/course_users?courseid=3").json())  # deleted in the recording


# -- TeSLA: DRF pages, nested records, ids from the path -------------------------------------------

def tesla_session(client: httpx.Client) -> None:
    login = client.post("/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
    admin = {"Authorization": f"JWT {login.json()['token']['access_token']}"}
    assert client.get("/api/v2/institution/1/user/", headers=admin).status_code == 200
    made = client.post("/api/v2/institution/1/user/", headers=admin, json={
        "username": "rec.user", "email": "rec.user@nou.example", "first_name": "Rec", "last_name": "User",
        "uid": "rec-001", "password": "Recorded-pass-2026", "password2": "Recorded-pass-2026"})
    assert made.status_code == 201, made.text
    module = client.post("/api/v2/auth/approle", json={"role_id": "tesla-mock-role", "secret_id": "tesla-mock-secret"})
    vle = {"Authorization": f"JWT {module.json()['token']['access_token']}"}
    course = client.post("/api/v2/vle/1/course/", headers=vle, json={"vle_course_id": "REC-1", "code": "REC1",
                                                                     "description": "recorded"})
    assert course.status_code == 201, course.text
    assert client.get("/api/v2/vle/1/instrument/", headers=vle).status_code == 200


@pytest.fixture(scope="module")
def tesla_recording(vendor: str, folder: Path) -> Path:
    return recorded(vendor, "tesla", "/tesla", folder / "tesla.jsonl", tesla_session)


def test_a_tesla_session_seeds_records_with_ids_from_paths_and_nested_records(tesla_recording: Path, tmp_path: Path,
                                                                              capsys) -> None:
    code, out, err = seed(tesla_recording, tmp_path, capsys)
    assert (code, err) == (0, "")
    written = read_yaml(tmp_path / "tesla.yaml")
    user = next(user for user in written["users"] if user["username"] == "rec.user")
    assert user["institution"] == 1  # from the path: the answer does not name it
    assert "password" not in user  # redacted in the recording: never written
    course = next(course for course in written["courses"] if course["code"] == "REC1")
    assert course["vle"] == 1  # the nested VLE's id
    packaged = read_yaml(PACKAGED / "tesla.yaml")
    assert [i.get("options_schema") for i in written["instruments"]] == [i.get("options_schema")
                                                                     for i in packaged["instruments"]]
    with MockServerThread(Settings(fixtures=tmp_path)) as mock, httpx.Client(base_url=f"{mock.base_url}/tesla") as client:
        login = client.post("/api/v2/auth/login", json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
        admin = {"Authorization": f"JWT {login.json()['token']['access_token']}"}
        answer = client.get(f"/api/v2/institution/1/user/{user['id']}/", headers=admin)
        assert (answer.status_code, answer.json()["username"]) == (200, "rec.user")
        answer = client.get(f"/api/v2/institution/1/course/{course['id']}/", headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (200, "REC1")


# -- hand-made recordings: the rules one at a time ---------------------------------------------------

def write_recording(path: Path, *exchanges: tuple[str, str, str, int, str]) -> Path:
    """(vendor, method, path, status, JSON body) per exchange."""
    lines = []
    for seq, (name, method, where, status, body) in enumerate(exchanges, 1):
        request = {"method": method, "path": where, "query": "", "headers": {}, "body": "", "body_encoding": "text"}
        response = {"status": status, "headers": {"content-type": "application/json"}, "body": body,
                    "body_encoding": "text"}
        lines.append(exchange_line(seq, name, "http://127.0.0.1:9", 0.0, 1.0, request, response))
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_base(folder: Path) -> Path:
    """A few Titus users and their tokens, a few Litmos users and their keys: seeding over it is
    quick, and its rules are the same as over the packaged seed."""
    base = folder / "small-base"
    base.mkdir()
    titus = read_yaml(PACKAGED / "titus.yaml")
    users = [user for user in titus["users"] if user["id"] <= 6]
    tokens = [token for token in titus["tokens"] if token["userid"] <= 6]
    (base / "titus.yaml").write_text(yaml.safe_dump({"site": titus["site"], "users": users, "tokens": tokens},
                                                    sort_keys=False))
    litmos = read_yaml(PACKAGED / "litmos.yaml")
    kept = {key["UserName"] for key in litmos["api_keys"]}
    (base / "litmos.yaml").write_text(yaml.safe_dump({
        "api_keys": litmos["api_keys"],
        "users": [{name: value for name, value in user.items() if name != "ManagerUserName"}
                  for user in litmos["users"] if user["UserName"] in kept],
        "teams": [], "courses": [], "enrolments": []}, sort_keys=False))
    return base


TITUS_USER = ('{"id": 900, "username": "hand.made", "email": "hand.made@example.org", "firstname": "Hand", '
              '"lastname": "Made", "city": "%s", "suspended": false}')


def test_a_later_answer_updates_a_record_and_a_redacted_value_is_left_out(tmp_path: Path, capsys, small_base: Path) -> None:
    recording = write_recording(tmp_path / "r.jsonl",
                                ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"),
                                ("titus", "GET", "/user/900", 200, TITUS_USER % "***"),
                                ("titus", "GET", "/user/900", 200, TITUS_USER % "Bergen"),
                                ("titus", "GET", "/user/900", 404, '{"exception": "x"}'))
    assert seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))[0] == 0
    users = read_yaml(tmp_path / "out" / "titus.yaml")["users"]
    assert [user["city"] for user in users if user["id"] == 900] == ["Bergen"]


def test_a_record_deleted_then_answered_again_comes_back(tmp_path: Path, capsys, small_base: Path) -> None:
    recording = write_recording(tmp_path / "r.jsonl",
                                ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"),
                                ("titus", "DELETE", "/user/900", 204, ""),
                                ("titus", "POST", "/user", 201, TITUS_USER % "Bergen"))
    assert seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))[0] == 0
    users = read_yaml(tmp_path / "out" / "titus.yaml")["users"]
    assert [user["city"] for user in users if user["id"] == 900] == ["Bergen"]


def test_a_new_record_the_answers_hold_too_little_of_is_left_out_and_said(tmp_path: Path, capsys, small_base: Path) -> None:
    listed = ('[{"Id": "abc", "Code": "NEW1", "Name": "New course", "Active": true, "ForSale": false, '
              '"OriginalId": 1, "Description": "", "EcommerceShortDescription": "", "EcommerceLongDescription": "", '
              '"CourseCodeForBulkImport": "1-NEW1", "Price": 0, "AccessTillDate": null, "AccessTillDays": null}]')
    recording = write_recording(tmp_path / "r.jsonl", ("litmos", "GET", "/courses", 200, listed))
    code, out, _ = seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))
    assert code == 0
    assert "left out: courses Code 'NEW1': no answer held CreatedDate" in out
    codes = [c["Code"] for c in read_yaml(tmp_path / "out" / "litmos.yaml")["courses"]]
    assert "NEW1" not in codes


def test_records_the_vendor_rules_refuse_write_nothing(tmp_path: Path, capsys, small_base: Path) -> None:
    duplicate = TITUS_USER.replace('"hand.made"', '"admin"') % "Oslo"  # the base admin's username, another id
    recording = write_recording(tmp_path / "r.jsonl", ("titus", "POST", "/user", 201, duplicate))
    code, out, err = seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))
    assert code == 2 and out == ""
    assert err.startswith("mockserver: titus: ") and "admin" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_seed_file_already_there_is_kept_unless_forced(tmp_path: Path, capsys, small_base: Path) -> None:
    recording = write_recording(tmp_path / "r.jsonl", ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "titus.yaml").write_text("kept: true\n")
    code, _, err = seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))
    assert code == 2 and "already holds titus.yaml (--force replaces)" in err
    assert (tmp_path / "out" / "titus.yaml").read_text() == "kept: true\n"
    assert seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base), "--force")[0] == 0
    assert "hand.made" in (tmp_path / "out" / "titus.yaml").read_text()


def test_a_custom_base_is_merged_over(tmp_path: Path, capsys, small_base: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    data = read_yaml(small_base / "titus.yaml")
    data["users"] = [user for user in data["users"] if user["id"] != 3]
    (base / "titus.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    recording = write_recording(tmp_path / "r.jsonl", ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"))
    assert seed(recording, tmp_path / "out", capsys, "--fixtures", str(base))[0] == 0
    text = (tmp_path / "out" / "titus.yaml").read_text()
    assert "the seed in" in text.splitlines()[1]
    ids = [user["id"] for user in yaml.safe_load(text)["users"]]
    assert 3 not in ids and 900 in ids


@pytest.mark.parametrize("content, message", [
    ("", "holds no exchange"),
    ("not json\n", "not JSON"),
    ('{"format": "lms-mockserver-traffic", "version": 1, "seq": 1, "vendor": "moodle", "request": {}, '
     '"response": {}}\n', "vendor moodle is not one this mock serves"),
    ('{"format": "lms-mockserver-traffic", "version": 1, "seq": 1, "vendor": "titus", '
     '"request": {"method": "GET", "path": "/user/2"}, "response": {"status": "200"}}\n',
     "exchange 1: response.status is missing or not what `mockserver record` writes"),
    ('{"format": "lms-mockserver-traffic", "version": 1, "seq": 1, "vendor": "titus", '
     '"request": {"method": "GET", "path": "/user/2"}, "response": {"status": 200, "headers": []}}\n',
     "exchange 1: response.headers is missing"),
])
def test_a_bad_recording_is_one_line_and_exit_2(tmp_path: Path, capsys, content: str, message: str) -> None:
    recording = tmp_path / "r.jsonl"
    recording.write_text(content)
    code, _, err = seed(recording, tmp_path / "out", capsys)
    assert code == 2 and message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_bad_folders_are_refused(tmp_path: Path, capsys, small_base: Path) -> None:
    recording = write_recording(tmp_path / "r.jsonl", ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"))
    (tmp_path / "file").write_text("")
    assert "is a file, not a folder" in seed(recording, tmp_path / "file", capsys)[2]
    assert "is not a folder" in seed(recording, tmp_path / "out", capsys, "--fixtures", str(tmp_path / "nope"))[2]
    assert "cannot be read" in seed(tmp_path / "missing.jsonl", tmp_path / "out", capsys)[2]


def test_litmos_references_by_id_are_written_by_name(tmp_path: Path, capsys, small_base: Path) -> None:
    owner = read_yaml(small_base / "litmos.yaml")["users"][0]
    recording = write_recording(
        tmp_path / "r.jsonl",
        ("litmos", "GET", "/users/u1", 200, f'{{"Id": "u1", "UserName": "{owner["UserName"]}", '
                                            f'"FullName": "Ada Owner", "FirstName": "Ada"}}'),
        ("litmos", "POST", "/teams", 201, '{"Id": "t1", "Name": "Parent", "Description": "", "ParentTeamId": ""}'),
        ("litmos", "POST", "/teams/t1/teams", 201,
         '{"Id": "t2", "Name": "Child", "Description": "", "ParentTeamId": "t1"}'),
        ("litmos", "GET", "/courses/c1/details", 200,
         '{"Id": "c1", "Code": "NEW2", "Name": "New course", "CreatedDate": "/Date(1700000000000+0000)/", '
         '"CreatedBy": "u1"}'))
    assert seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))[0] == 0
    written = read_yaml(tmp_path / "out" / "litmos.yaml")
    assert [(team["Name"], team.get("ParentName")) for team in written["teams"]] == [("Parent", None),
                                                                                    ("Child", "Parent")]
    (course,) = written["courses"]
    assert (course["CreatedBy"], course["CreatedDate"]) == ("Ada Owner", "2023-11-14T22:13:20Z")
    assert written["users"][0]["FirstName"] == "Ada"


def test_an_answer_that_is_not_what_its_spec_says_is_named_and_skipped(tmp_path: Path, capsys, small_base: Path) -> None:
    recording = write_recording(tmp_path / "r.jsonl", ("titus", "GET", "/user/900", 200, '{"id": 900, "username"'),
                                ("titus", "POST", "/user", 201, TITUS_USER % "Oslo"))
    code, out, _ = seed(recording, tmp_path / "out", capsys, "--fixtures", str(small_base))
    assert code == 0 and "not read: 1 answer(s) not in the form their spec gives (#1)" in out
    assert [user["city"] for user in read_yaml(tmp_path / "out" / "titus.yaml")["users"] if user["id"] == 900] == ["Oslo"]
