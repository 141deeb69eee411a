"""The grown TeSLA seed: fixtures/make_tesla.py reproduces it, and the server serves all of it."""

from __future__ import annotations

import importlib.util

import pytest

from mockserver.config import Settings
from tesla_course_support import login
from tesla_support import SEED, course_ids, instructor_ids, learner_ids


@pytest.fixture
def client(tesla_client):
    return tesla_client


def _generator():
    path = Settings().fixtures / "make_tesla.py"
    if not path.exists():
        pytest.skip("the generator ships with the repository, not the installed package")
    spec = importlib.util.spec_from_file_location("make_tesla", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fixture_generator_reproduces_the_seed_and_keeps_other_sections() -> None:
    """Regenerating the current file changes nothing, a section the generator does not own passes
    through byte for byte, and each owned section has one marker."""
    module = _generator()
    text = (Settings().fixtures / "tesla.yaml").read_text(encoding="utf-8")
    assert module.render(text) == text
    extra = text + "# a section another tool owns\nsomething_else:\n- {a: 1}\n"
    assert module.render(extra) == extra
    assert text.count(module.MARKER) == len(module.OWNED)


def test_the_seed_has_the_size_it_was_grown_to(client) -> None:
    """Two institutions with VLEs, 40 courses, 400 learners and 30 instructors in one id space."""
    ga = login(client, "admin@tesla.example")

    def count(path: str) -> int:
        response = client.get(f"/api/v2/institution/{path}?limit=1", headers=ga)
        assert response.status_code == 200, response.text
        return response.json()["count"]

    assert [count(f"{iid}/vle/") for iid in (1, 2, 3)] == [1, 1, 0]
    assert count("1/course/") + count("2/course/") == len(course_ids(1)) + len(course_ids(2)) == 40
    assert count("1/learner/") + count("2/learner/") == len(learner_ids(1)) + len(learner_ids(2)) == 400
    assert count("1/instructor/") + count("2/instructor/") == len(instructor_ids(1)) + len(instructor_ids(2)) == 30
    people = [u["id"] for u in SEED["users"]]
    assert len(people) == len(set(people))  # users, learners and instructors share one id sequence
    assert not set(learner_ids(1) + learner_ids(2)) & set(instructor_ids(1) + instructor_ids(2))


def test_groups_form_trees_and_consents_have_documents_in_two_languages(client) -> None:
    groups = {g["id"]: g for g in SEED["course_groups"]}

    def depth(gid: int) -> int:
        parent = groups[gid].get("parent")
        return 1 if parent is None else 1 + depth(parent)

    assert {depth(gid) for gid in groups} == {1, 2, 3}
    assert all(groups[g["parent"]]["institution"] == g["institution"] for g in groups.values() if g.get("parent"))
    languages: dict[int, set[str]] = {}
    for document in SEED["consent_documents"]:
        languages.setdefault(document["consent"], set()).add(document["language"])
    cit = [c for c in SEED["consents"] if c["institution"] == 2]
    assert len(cit) >= 3 and sum(1 for c in cit if len(languages.get(c["id"], ())) >= 2) >= 2
    manager = login(client, "manager@tesla.example")  # a legal admin of institution 1 reads its own
    documents = client.get("/api/v2/institution/1/ic/3/document/", headers=manager).json()
    assert sorted(d["language"] for d in documents["results"]) == ["ca", "en", "es"]
