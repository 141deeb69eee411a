"""The dashboard in a real headless browser (Debian's `chromium`, driven by Playwright): the
token prompt, then the flows a QA engineer uses it for. Screenshots of each flow are kept in
build/screenshots/ (CI keeps them as artifacts).

Needs the `chromium` package (`.ci/run` installs it; nothing is downloaded at run time). Without
it the tests are skipped, unless MOCKSERVER_REQUIRE_BROWSER=1 (as in CI) makes that a failure."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server_support import thread_server

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

TOKEN = "dashboard-token-1"
TITUS = {"Authorization": "Bearer titus-admin-token"}
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)



@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The mock in a thread of this process: the browser is what these tests drive, not the process."""
    with thread_server(admin_token=TOKEN) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("MOCKSERVER_REQUIRE_BROWSER") == "1":
            pytest.fail("no chromium on PATH: install Debian's chromium package (.ci/run does)")
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, base: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh tab on the dashboard with the token given, the mock reset; a screenshot after."""
    httpx.post(f"{base}/__admin/reset?namespaces=drop", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    tab.goto(f"{base}/__admin/ui/")
    dialog = tab.locator("#token-dialog")
    expect(dialog).to_be_visible()  # the page asks for the token before it shows any state
    tab.fill("#token-input", TOKEN)
    tab.click("#token-save")
    expect(dialog).to_be_hidden()
    try:
        yield tab
    finally:
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
        context.close()


def call(base: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, base + path, timeout=10, **kwargs)


def test_the_token_is_sent_as_a_bearer_header_and_never_as_a_cookie(page: Any) -> None:
    expect(page.locator("#tables button").first).to_be_visible()
    assert page.context.cookies() == []
    assert page.evaluate("sessionStorage.getItem('lms-mockserver-admin-token')") == TOKEN


def test_an_older_answer_arriving_late_never_replaces_the_search(page: Any) -> None:
    """The table's first page is held back until the search's answer is shown: the late page
    must not overwrite it (as it did when a slow machine answered out of order)."""
    held: list[Any] = []

    def hold_the_unsearched_page(route: Any) -> None:
        if "q=" in route.request.url and "q=&" not in route.request.url and not route.request.url.endswith("q="):
            route.continue_()
        else:
            held.append(route)

    page.select_option("#vendor", "titus")
    page.route("**/__admin/data/titus/users?*", hold_the_unsearched_page)
    page.click("#tables button[data-table='users']")
    page.fill("#search", "priya")
    page.click("#search-form button[type='submit']")
    expect(page.locator("#rows tbody tr", has_text="priya.green")).to_have_count(1)
    assert held, "the table's first page was never asked for"
    for route in held:
        route.continue_()
    page.wait_for_timeout(500)  # the late answer arrives and is ignored
    expect(page.locator("#rows tbody tr")).to_have_count(1)
    expect(page.locator("#rows tbody tr", has_text="priya.green")).to_have_count(1)


def test_find_a_user_and_follow_a_relation(page: Any) -> None:
    page.select_option("#vendor", "titus")
    page.click("#tables button[data-table='users']")
    page.fill("#search", "priya")
    page.click("#search-form button[type='submit']")
    row = page.locator("#rows tbody tr", has_text="priya.green")
    expect(row).to_have_count(1)
    row.click()
    expect(page.locator("#record-title")).to_contain_text("priya.green")
    expect(page.locator("#record-fields")).to_contain_text("priya.green@acme-logistics.example")
    referrers = page.locator("#referred-by li", has_text="enrolments.userid")
    expect(referrers).to_have_count(1)
    referrers.locator("button").first.click()
    expect(page.locator("#record-title")).to_contain_text("enrolments")
    userid = page.locator("#refers-to li", has_text="userid")
    expect(userid).to_contain_text("priya.green")


def test_watch_a_call_arrive_and_see_the_near_misses(page: Any, base: str) -> None:
    page.click("#tabs button[data-tab='journal']")
    assert call(base, "GET", "/titus/api/v1/user/7", headers=TITUS).status_code == 200
    assert call(base, "GET", "/titus/api/v1/usr/7", headers=TITUS).status_code == 404
    expect(page.locator("#journal tbody tr", has_text="/titus/api/v1/user/7")).to_have_count(1)
    expect(page.locator("#unmatched")).to_contain_text("/titus/api/v1/usr/7")
    expect(page.locator("#unmatched")).to_contain_text("/user/{id}")


def test_add_a_fault_and_see_it_fire(page: Any, base: str) -> None:
    page.click("#tabs button[data-tab='faults']")
    page.select_option("#f-vendor", "titus")
    page.fill("#f-path", "/user/8")
    page.select_option("#f-action", "status")
    page.fill("#f-status", "503")
    page.fill("#f-times", "1")
    page.click("#f-add")
    rule = page.locator("#faults tbody tr")
    expect(rule).to_have_count(1)
    expect(rule).to_contain_text("/user/8")
    assert call(base, "GET", "/titus/api/v1/user/8", headers=TITUS).status_code == 503
    assert call(base, "GET", "/titus/api/v1/user/8", headers=TITUS).status_code == 200  # once only
    page.click("#tabs button[data-tab='journal']")
    spoiled = page.locator("#journal tbody tr.fault", has_text="/titus/api/v1/user/8")
    expect(spoiled).to_have_count(1)
    expect(spoiled).to_contain_text("503")
    page.click("#tabs button[data-tab='faults']")
    page.locator("#faults button", has_text="Delete").click()
    expect(page.locator("#faults tbody tr")).to_have_count(0)


def test_advance_freeze_and_reset_the_clock(page: Any, base: str) -> None:
    page.click("#tabs button[data-tab='time']")
    expect(page.locator("#clock-state")).to_contain_text("running")
    page.fill("#advance", "2h")
    page.click("#clock-advance button")
    expect(page.locator("#clock-state")).to_contain_text(re.compile(r"\+7[12]\d\d s"))
    clock = call(base, "GET", "/__admin/clock", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert 7190 < clock["offset_seconds"] < 7300
    page.click("#clock-freeze")
    expect(page.locator("#clock-state")).to_contain_text("frozen")
    page.click("#clock-reset")
    expect(page.locator("#clock-state")).to_contain_text("running, +0 s")
    expect(page.locator("#ratelimits")).to_contain_text("litmos")


def test_take_and_restore_a_snapshot(page: Any, base: str) -> None:
    page.click("#tabs button[data-tab='snapshots']")
    page.fill("#snapshot-name", "before-import")
    page.click("#snapshot-form button")
    expect(page.locator("#snapshots tbody tr", has_text="before-import")).to_have_count(1)
    created = call(base, "POST", "/titus/api/v1/user", headers=TITUS, json={
        "username": "browser.made", "firstname": "B", "lastname": "M", "email": "browser.made@example.org"})
    assert created.status_code == 201
    user = f"/titus/api/v1/user/{created.json()['id']}"
    page.click("#snapshots button[data-restore='before-import']")
    expect(page.locator("#status")).to_contain_text("Restored before-import")
    assert call(base, "GET", user, headers=TITUS).status_code == 404
    page.click("#reset")
    expect(page.locator("#status")).to_contain_text("Reset to the seed")
    expect(page.locator("#snapshots tbody tr")).to_have_count(0)


def test_each_namespace_has_its_own_data(page: Any, base: str) -> None:
    made = call(base, "POST", "/ns/qa-42/titus/api/v1/user", headers=TITUS, json={
        "username": "ns.browser", "firstname": "N", "lastname": "B", "email": "ns.browser@example.org"})
    assert made.status_code == 201
    page.click("#namespace")  # the list is fetched when the picker is opened
    expect(page.locator("#namespace option[value='qa-42']")).to_have_count(1)
    page.select_option("#namespace", "qa-42")
    page.select_option("#vendor", "titus")
    page.click("#tables button[data-table='users']")
    page.fill("#search", "ns.browser")
    page.click("#search-form button[type='submit']")
    expect(page.locator("#rows tbody tr", has_text="ns.browser")).to_have_count(1)
    page.select_option("#namespace", "")
    page.click("#tables button[data-table='users']")
    page.fill("#search", "ns.browser")
    page.click("#search-form button[type='submit']")
    expect(page.locator("#page-info")).to_have_text("no rows")
