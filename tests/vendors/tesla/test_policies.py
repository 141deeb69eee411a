"""The spec says who may call each TeSLA operation (`x-permission`, read once by `routes.RouteBook`),
and `permissions.Policy` applies it as DRF OR-s permission classes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mockserver.config import Settings
from mockserver.core.routes import HTTP_METHODS
from mockserver.core.schema import SpecDocument
from mockserver.vendors.tesla.permissions import CLASSES, NO_PERMISSION, Policy, Principal, Request
from mockserver.vendors.tesla.routes import RouteBook
from mockserver.core.yamlcache import load_yaml

SPEC_PATH = Settings().specs / "tesla" / "openapi.yaml"
SPEC = SpecDocument(SPEC_PATH)
BOOK = RouteBook(SPEC)
# Views outside DRF's authentication: the token endpoints (`permission_classes = ()`) and the stored files.
OUTSIDE_DRF = ("/api/v2/auth/", "/media/")
MEMBER = Principal("member", user_id=16, institution_id=1, learner=True)
ADMIN = Principal("member", user_id=3, institution_id=1, inst_admin=True)


def operations() -> list[tuple[str, str, dict]]:
    return [(template, method, item[method]) for template, item in SPEC.raw["paths"].items()
            for method in HTTP_METHODS if isinstance(item.get(method), dict)]


def test_every_operation_names_its_permission_classes() -> None:
    for template, method, operation in operations():
        classes = operation.get("x-permission")
        assert isinstance(classes, list), f"{method.upper()} {template} has no x-permission"
        assert set(classes) <= set(CLASSES), f"{method.upper()} {template}: {classes}"
        if not classes:  # explicitly outside DRF; everything else is at least AllowAny
            assert template.startswith(OUTSIDE_DRF), template


def test_the_operations_of_a_route_share_their_view_s_classes() -> None:
    by_template: dict[str, set[tuple[str, ...]]] = {}
    for template, _, operation in operations():
        by_template.setdefault(template, set()).add(tuple(operation["x-permission"]))
    assert {template: found for template, found in by_template.items() if len(found) > 1} == {}


def test_a_spec_without_the_extension_is_refused_at_startup(tmp_path: Path) -> None:
    raw = load_yaml(SPEC_PATH, yaml.CSafeLoader)
    del raw["paths"]["/api/v2/institution/"]["get"]["x-permission"]
    broken = tmp_path / "openapi.yaml"
    broken.write_text(yaml.dump(raw, Dumper=yaml.CSafeDumper), encoding="utf-8")
    with pytest.raises(ValueError, match="GET /api/v2/institution/ has no x-permission"):
        RouteBook(SpecDocument(broken))


def test_unknown_class_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown permission classes"):
        Policy.of(["InstitutionAdmin"])


def request(principal: Principal, method: str, path: str, roles: frozenset[str] = frozenset()) -> Request:
    return Request(principal, method, path, lambda caller, segment: roles)


def test_classes_are_or_ed_and_read_only_ones_refuse_writes() -> None:
    policy = BOOK.policy("list_users")
    assert policy.allows(request(MEMBER, "GET", "/api/v2/institution/1/user/"))
    assert not policy.allows(request(MEMBER, "POST", "/api/v2/institution/1/user/"))
    assert policy.allows(request(ADMIN, "POST", "/api/v2/institution/1/user/"))
    assert not policy.allows(request(ADMIN, "DELETE", "/api/v2/institution/1/user/5/"))  # NotDelete
    assert not policy.allows(request(ADMIN, "GET", "/api/v2/institution/01/user/"))  # membership is literal


def test_course_classes_read_the_course_after_course_in_the_path() -> None:
    asked: list[str] = []
    policy = BOOK.policy("list_activities")
    path = "/api/v2/institution/1/course/7/activity/"

    def roles(caller: Principal, segment: str) -> frozenset[str]:
        asked.append(segment)
        return frozenset({"LEARNER"})

    assert policy.allows(Request(MEMBER, "GET", path, roles)) and asked[-1] == "7"
    assert not policy.allows(Request(MEMBER, "POST", path, roles))


def test_a_refused_member_gets_the_view_s_own_detail_where_the_spec_gives_one() -> None:
    policy = BOOK.policy("accept_learner_consent")
    assert policy.member_denied == "Only learner can manage his/her IC"
    with pytest.raises(Exception, match="Only learner"):
        policy.check(request(ADMIN, "POST", "/api/v2/institution/1/learner/16/ic/"))
    with pytest.raises(Exception, match=NO_PERMISSION):
        policy.check(request(Principal("anonymous"), "POST", "/api/v2/institution/1/learner/16/ic/"))
    policy.check(request(MEMBER, "POST", "/api/v2/institution/1/learner/16/ic/"))


@pytest.mark.parametrize(("path", "template"), [
    ("/api/v2/institution/1/user/5/", "/api/v2/institution/{institution_id}/user/{id}/"),
    ("/api/v2/institution/1/ic/current/", "/api/v2/institution/{institution_id}/ic/current/"),
    ("/api/v2/vle/1/course/2/activity/3/attachment/ab_c-1/",
     "/api/v2/vle/{vle_id}/course/{course_id}/activity/{activity_id}/attachment/{learner_id}/"),
])
def test_routes_are_the_spec_s_templates(path: str, template: str) -> None:
    found = BOOK.route(path)
    assert found is not None and found.template == template


@pytest.mark.parametrize("path", [
    "/api/v2/institution/1/user/5.0/",  # Django's router takes no dot in an id
    "/api/v2/auth/login",  # a view outside DRF
    "/lapi/v1/status/1/0A1B2C3D-0000-4000-8000-000000000000/",  # Django's <uuid:> is lowercase
    "/lapi/v1/status/x/0a1b2c3d-0000-4000-8000-000000000000/",  # and <int:> digits
    "/api/v2/vle/1/course/2/activity/3/attachment/a.b/",
    "/api/v2/vle/1/course/2/activity/3/attachment/\u20ac/",  # not a word character, even in Python's \\w
])
def test_paths_django_would_not_route(path: str) -> None:
    assert BOOK.route(path) is None


def test_below_a_django_prefix_only_its_url_patterns_resolve() -> None:
    assert BOOK.resolvable("/api/v2/institution/1/nothing/")  # the router's 404 comes later
    assert BOOK.resolvable("/lapi/v1/status/1/0a1b2c3d-0000-4000-8000-000000000000/")
    assert not BOOK.resolvable("/lapi/v1/nothing/")
    assert not BOOK.resolvable("/api/v2/vle/1/course/2/activity/3/attachment/x/y/")


def test_a_django_pattern_takes_unicode_word_characters_as_python_does() -> None:
    """`x-django-pattern` is Python's regex: Django routes a learner segment of any letters."""
    assert BOOK.route("/api/v2/vle/1/course/2/activity/3/attachment/\u00db\U000262ec/") is not None
    assert BOOK.route("/api/v2/vle/1/course/2/activity/3/attachment/x|y-z_1/") is not None
