"""mockserver.testcontainers: LmsMockContainer. Its options are checked here without Docker (CI's
test step runs before any daemon does); the real image is driven when LMS_MOCK_IMAGE names it (scripts/docker-smoke sets it after building the
image, with MOCKSERVER_REQUIRE_DOCKER=1 so a missing image fails there instead of skipping)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from mockserver.testcontainers import PORT, LmsMockContainer, docker_run_options

ROOT = Path(__file__).resolve().parents[1]
IMAGE = os.environ.get("LMS_MOCK_IMAGE")
COMPOSE_FIXTURES = ROOT / "examples" / "compose" / "fixtures"  # a custom Titus seed (dana.kim is user 3)


OPTIONS = {"vendor": "litmos", "scenario": ["litmos-rate-limit", "scenarios/x.yaml"], "fixtures": COMPOSE_FIXTURES,
           "seed": 7, "admin_token": "token-1234"}
ENV = {"MOCKSERVER_VENDOR": "litmos", "MOCKSERVER_SEED": "7", "MOCKSERVER_ADMIN_TOKEN": "token-1234",
       "MOCKSERVER_SCENARIO": "litmos-rate-limit,scenarios/x.yaml"}


def test_options_become_the_images_settings_and_mounts() -> None:
    assert docker_run_options(**OPTIONS) == (ENV, {str(COMPOSE_FIXTURES): "/data/fixtures"})


@pytest.mark.parametrize(("options", "says"), [
    ({"vendor": "moodle"}, "vendor must be one of"),
    ({"seed": "1"}, "seed must be an integer"),
    ({"seed": True}, "seed must be an integer"),
    ({"admin_token": "short"}, "at least 8 characters"),
    ({"fixtures": "no/such/folder"}, "fixtures: no/such/folder is not a folder"),
    ({"scenarios": __file__}, "is not a folder"),
])
def test_a_bad_option_is_refused_before_anything_starts(options: dict, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        LmsMockContainer("some/image:1", **options)


needs_image = pytest.mark.skipif(not IMAGE and not os.environ.get("MOCKSERVER_REQUIRE_DOCKER"),
                                 reason="LMS_MOCK_IMAGE names no image (scripts/docker-smoke runs this)")


@needs_image
def test_the_container_carries_them() -> None:
    container = LmsMockContainer("some/image:1", **OPTIONS)
    assert container.image == "some/image:1" and str(PORT) in container.ports
    assert container.env == ENV
    assert container.volumes == {str(COMPOSE_FIXTURES): {"bind": "/data/fixtures", "mode": "ro"}}


@needs_image
def test_a_test_talks_to_every_vendor_of_the_real_image() -> None:
    with LmsMockContainer(IMAGE, fixtures=COMPOSE_FIXTURES, seed=3, admin_token="smoke-token-1") as mock:
        titus_admin = {"Authorization": "Bearer example-admin-token"}  # the mounted seed's token
        assert set(mock.vendors) == {"titus", "litmos", "tesla"}
        assert mock.titus_url.endswith("/titus/api/v1") and mock.litmos_url.endswith("/litmos/v1.svc")
        titus = httpx.get(f"{mock.titus_url}/user/3", headers=titus_admin)
        assert titus.json()["username"] == "dana.kim"
        litmos = httpx.get(f"{mock.litmos_url}/users", params={"apikey": "litmos-demo-key", "source": "mock",
                                                                "format": "json"})
        assert litmos.status_code == 200
        tesla = httpx.post(f"{mock.tesla_url}/api/v2/auth/login",
                           json={"email": "inst-admin@tesla.example", "password": "tesla-admin"})
        assert tesla.status_code == 200
        admin = mock.admin()
        admin.assert_requested(vendor="titus", method="GET", path="/user/3")
        in_namespace = httpx.get(f"{mock.vendor_url('titus', namespace='job-1')}/user/3", headers=titus_admin)
        assert in_namespace.status_code == 200 and mock.admin("job-1").count(vendor="titus") == 1
        assert httpx.get(f"{mock.base_url}/__admin/requests").status_code == 401  # the token is required


@needs_image
def test_a_vendor_served_alone_is_at_its_real_root() -> None:
    with LmsMockContainer(IMAGE, vendor="litmos") as mock:
        assert mock.vendors == ["litmos"] and mock.litmos_url == f"{mock.base_url}/v1.svc"
        with pytest.raises(KeyError, match="not served by this container"):
            mock.vendor_url("titus")
        users = httpx.get(f"{mock.litmos_url}/users", params={"apikey": "litmos-demo-key", "source": "mock"})
        assert users.status_code == 200 and users.text.lstrip().startswith("<")  # XML by default
