"""RouteTable matching (operation, statuses, case) and near-miss hints for unmatched requests."""

from __future__ import annotations

import pytest

from mockserver.core.nearmiss import nearest
from mockserver.core.routes import RouteMatch, RouteTable

PATHS = {
    "/users": {
        "get": {"responses": {"200": {}, "401": {}, "default": {}}},
        "post": {"responses": {"201": {}, "4XX": {}, 409: {}}},
    },
    "/users/{id}": {
        "parameters": [{"name": "id", "in": "path"}],
        "get": {"responses": {"200": {}, "404": {}}},
        "delete": {"responses": {"204": {}}},
    },
    "/users/details": {"get": {"responses": {"200": {}}}},
    "/courses/{courseId}/users/{userId}": {"put": {}},
    "/files/{name}.json": {"get": {"responses": {"200": {}}}},
}


def test_match_names_the_operation_and_its_numeric_statuses() -> None:
    routes = RouteTable(PATHS)
    assert routes.match("get", "/users") == RouteMatch("GET", "/users", frozenset({200, 401}))
    assert routes.match("POST", "/users") == RouteMatch("POST", "/users", frozenset({201, 409}))
    found = routes.match("DELETE", "/users/17")
    assert found is not None and found.template == "/users/{id}" and found.statuses == frozenset({204})
    assert routes.match("PUT", "/courses/3/users/4") == RouteMatch("PUT", "/courses/{courseId}/users/{userId}",
                                                                   frozenset())
    assert routes.match("GET", "/files/report.json").template == "/files/{name}.json"


def test_match_is_none_for_unknown_paths_and_undeclared_methods() -> None:
    routes = RouteTable(PATHS)
    assert routes.match("PATCH", "/users") is None
    assert routes.match("GET", "/users/") is None
    assert routes.match("GET", "/users/1/extra") is None
    assert routes.match("GET", "/files/report.xml") is None
    assert routes.match("GET", "/users\n") is None
    assert routes.allowed("/users\n") is None


def test_most_literal_template_wins_for_match_and_allowed() -> None:
    routes = RouteTable(PATHS)
    assert routes.match("GET", "/users/details").template == "/users/details"
    # the literal route declares no DELETE, so the request does not fall through to /users/{id}
    assert routes.match("DELETE", "/users/details") is None
    assert routes.allowed("/users/details") == ("GET",)
    assert routes.allowed("/users/8") == ("GET", "DELETE")


def test_equally_literal_templates_merge_methods_and_first_declaring_one_wins() -> None:
    routes = RouteTable({"/a/{x}": {"put": {}}, "/{y}/b": {"get": {"responses": {"200": {}}}, "put": {}}})
    assert routes.allowed("/a/b") == ("PUT", "GET")
    assert routes.match("PUT", "/a/b").template == "/a/{x}"
    assert routes.match("GET", "/a/b").template == "/{y}/b"


def test_operations_lists_every_pair_in_spec_order() -> None:
    routes = RouteTable(PATHS)
    assert routes.operations() == [
        ("GET", "/users"), ("POST", "/users"), ("GET", "/users/{id}"), ("DELETE", "/users/{id}"),
        ("GET", "/users/details"), ("PUT", "/courses/{courseId}/users/{userId}"), ("GET", "/files/{name}.json"),
    ]


def test_case_insensitive_table_matches_any_letter_case() -> None:
    strict = RouteTable(PATHS)
    relaxed = RouteTable(PATHS, case_sensitive=False)
    assert strict.match("GET", "/USERS/Details") is None
    assert strict.allowed("/Users") is None
    assert relaxed.match("GET", "/USERS/Details").template == "/users/details"
    assert relaxed.match("get", "/Users/5").template == "/users/{id}"
    assert relaxed.allowed("/Users") == ("GET", "POST")


def test_statuses_ignore_missing_or_odd_responses() -> None:
    routes = RouteTable({"/x": {"get": {"responses": "nonsense"}, "post": None}})
    assert routes.match("GET", "/x").statuses == frozenset()
    assert routes.match("POST", "/x").statuses == frozenset()


OPERATIONS = RouteTable(PATHS).operations()


def test_an_operation_may_carry_its_own_body_limit() -> None:
    routes = RouteTable({"/imports": {"post": {"x-max-body-bytes": 2048000}, "get": {"x-max-body-bytes": "big"}},
                         "/imports/{id}": {"put": {}}})
    assert routes.match("POST", "/imports").max_body_bytes == 2048000
    assert routes.match("GET", "/imports").max_body_bytes is None  # not an integer: no limit of its own
    assert routes.match("PUT", "/imports/1").max_body_bytes is None


def test_nearest_ranks_the_intended_route_first_for_a_typo() -> None:
    hints = nearest("GET", "/usres/5", OPERATIONS)
    assert hints[0] == {"method": "GET", "path": "/users/{id}", "score": hints[0]["score"]}
    assert 0.8 < hints[0]["score"] < 1
    assert len(hints) == 3
    assert [h["score"] for h in hints] == sorted((h["score"] for h in hints), reverse=True)


def test_nearest_wrong_method_ranks_the_existing_path_first_below_one() -> None:
    hints = nearest("PATCH", "/users/5", OPERATIONS, limit=2)
    # both operations on /users/{id} fit the path equally; spec order breaks the tie
    assert hints == [{"method": "GET", "path": "/users/{id}", "score": 0.8},
                     {"method": "DELETE", "path": "/users/{id}", "score": 0.8}]


def test_nearest_trailing_slash_and_case_differences_score_high_but_not_one() -> None:
    slash = nearest("GET", "/users/", OPERATIONS, limit=1)[0]
    assert slash["path"] == "/users" and slash["method"] == "GET"
    assert slash["score"] == pytest.approx(0.96)
    case = nearest("GET", "/Users", OPERATIONS, limit=1)[0]
    assert case["path"] == "/users" and 0.9 < case["score"] < 1


def test_nearest_penalises_differing_segment_counts_and_handles_edges() -> None:
    hints = nearest("GET", "/users/5/extra", OPERATIONS, limit=1)
    assert hints == [{"method": "GET", "path": "/users/{id}", "score": round(0.8 * 2 / 3 + 0.2, 3)}]
    assert nearest("GET", "/users", OPERATIONS, limit=0) == []
    assert nearest("GET", "/users", [], limit=3) == []
    assert len(nearest("GET", "/", OPERATIONS, limit=10)) == len(OPERATIONS)


def test_a_matched_template_gives_its_parameters_values() -> None:
    table = RouteTable({"/users/{userid}": {"get": {}}, "/course_enrolment/{courseid}/{userid}": {"delete": {}}},
                       case_sensitive=False)
    match = table.match("DELETE", "/Course_Enrolment/3/151")
    assert match is not None
    assert table.path_params(match.template, "/Course_Enrolment/3/151") == {"courseid": "3", "userid": "151"}
    assert table.path_params("/users/{userid}", "/users/abc%2F1") == {"userid": "abc%2F1"}
    assert table.path_params("/users/{userid}", "/teams/1") == {} and table.path_params("/nope", "/nope") == {}
