"""User bulk imports (POST /bulkimports; docs/litmos.md, "Course details and bulk imports"): create or
update users by Username.

Rows run in the order sent; each applies whole
or fails whole (its result says why), and the rows after a failed one still run, as the import
job of Litmos's UI does. `Username` is the key: a row naming an existing user (any letter case)
updates it, and members the row leaves out (or sends as null) keep their values. `Team1`–`Team5`
take `TeamCodeForBulkImport`s and make the user a member (the team's courses and paths follow,
as for POST /teams/{id}/users); `Course1`–`Course3` take `CourseCodeForBulkImport`s and assign
the course. The user rules are those of POST /users, with Litmos's texts.
"""

from __future__ import annotations

from typing import Any

from ....core.errors import MockError
from ....core.store import Row, Table
from ..dates import request_ms, user_timestamp
from .bulk_imports import CREATED, UPDATED, USERS, BulkImportJobs, Caller, RowFailure, RowResult
from .courses import course_code
from .results import Results
from .state import Shared
from .teams import Teams, team_code
from .users import EMAIL, MSG_EMAIL, MSG_MANAGER, MSG_OWNER, OWNER, USER_DEFAULTS, Users

# Import member -> user member, for the members copied as they are.
COPIED = {
    "Email": "Email", "FirstName": "FirstName", "LastName": "LastName", "Password": "Password", "Phone": "PhoneWork",
    "Mobile": "PhoneMobile", "Skype": "Skype", "Title": "JobTitle", "CompanyName": "CompanyName",
    "WebSite": "Website", "Twitter": "Twitter", "Address1": "Street1", "Address2": "Street2", "City": "City",
    "State": "State", "Zip": "PostalCode", "Country": "Country",
    **{f"CustomField{n}": f"CustomField{n}" for n in range(1, 11)},
    "SalesforceId": "SalesforceId", "SalesforceContactId": "SalesforceContactId",
    "SalesforceAccountId": "SalesforceAccountId", "Active": "Active", "Culture": "Culture", "TimeZone": "TimeZone",
}
TEAM_COLUMNS = tuple(f"Team{n}" for n in range(1, 6))
COURSE_COLUMNS = tuple(f"Course{n}" for n in range(1, 4))
# `AccessLevel`: letters, numbers ('2' is Account Owner; 3-5 follow the levels downwards) or a name (docs/litmos.md).
LEVELS = {"2": "Account_Owner", "3": "Administrator", "4": "Team_Leader", "5": "Learner", "l": "Learner",
          "tl": "Team_Leader", "ta": "Team_Leader", "learner": "Learner", "team_leader": "Team_Leader",
          "administrator": "Administrator", "account_owner": "Account_Owner"}
RANK = {"Learner": 0, "Team_Leader": 1, "Administrator": 2, "Account_Owner": 3}
MSG_USERNAME = "Username is required."
MSG_NAMES = "FirstName and LastName are required for a new user."
MSG_LEVEL = "AccessLevel is invalid."
MSG_ABOVE = "You do not have the proper permissions for this call."
MSG_DATE = "InActiveDate is not a valid date."
MSG_LEAD = "A Team Leader can only import people into teams it leads; Team1 must name one."


def _given(item: dict[str, Any], name: str) -> Any:
    """A member the row sends (null and absent both mean: leave it as it is)."""
    return item.get(name)


class UserImports:
    """The user import: the user rules of `users`, memberships through `teams` (so the team's
    courses and paths follow) and course assignments through `results`; its job goes to `jobs`."""

    def __init__(self, shared: Shared, *, users: Users, teams: Teams, results: Results, jobs: BulkImportJobs,
                 courses: Table) -> None:
        self._shared = shared
        self._users = users
        self._teams = teams
        self._results = results
        self._jobs = jobs
        self._courses = courses

    def import_users(self, items: list[dict[str, Any]], caller: Caller, *, send_emails: bool,
                     skip_first_login: bool, json_dates: bool) -> dict[str, Any]:
        """Apply every row; the job as the POST answers it (`Waiting`)."""
        with self._shared.lock:
            teams = {team_code(t["OriginalId"], t["Name"]).casefold(): t["Id"] for t in self._teams.table.rows()}
            courses = {course_code(c).casefold(): c["Id"] for c in self._courses.rows()}
            results = []
            for item in items:
                username = (_given(item, "Username") or "").strip()
                try:
                    results.append(self._import_user(username, item, caller, teams, courses, skip_first_login,
                                                     json_dates))
                except RowFailure as failure:
                    results.append(RowResult.failed(username, failure.reason, failure.invalid_email))
            job = self._jobs.record(USERS, results, caller=caller, send_emails=send_emails,
                                    skip_first_login=skip_first_login)
            return self._jobs.user_view(job, queued=True)

    # -- one row -------------------------------------------------------------------------------
    def _import_user(self, username: str, item: dict[str, Any], caller: Caller, teams: dict[str, str],
                     courses: dict[str, str], skip_first_login: bool, json_dates: bool) -> RowResult:
        """Check everything the row asks for, then write it; a RowFailure before any write."""
        if not username:
            raise RowFailure(MSG_USERNAME)
        current = self._users.table.find("UserName", username.casefold())
        values = self._import_values(item, json_dates)
        if current is not None and RANK[current["AccessLevel"]] > RANK[caller.level]:
            raise RowFailure(MSG_ABOVE)
        if RANK[values.get("AccessLevel", "Learner")] > RANK[caller.level]:
            raise RowFailure(MSG_ABOVE)
        team_ids = self._import_teams(item, teams, caller)
        course_ids = [self._import_code(courses, item[c], "Course") for c in COURSE_COLUMNS if _given(item, c)]
        if _given(item, "Manager"):
            manager = self._users.find(item["Manager"])
            if manager is None or manager is current:
                raise RowFailure(MSG_MANAGER)
            values["ManagerId"] = manager["Id"]
        user = self._create_imported(username, values, skip_first_login) if current is None else \
            self._update_imported(current, values)
        for team_id in team_ids:
            self._teams.add_team_users(team_id, [user["Id"]])
        self._results.assign_courses(user["Id"], course_ids)
        return RowResult(username, CREATED if current is None else UPDATED)

    def _import_values(self, item: dict[str, Any], json_dates: bool) -> dict[str, Any]:
        """The user members the row sets, in the user's own names."""
        values = {member: item[name] for name, member in COPIED.items() if _given(item, name) is not None}
        if _given(item, "AccessLevel") is not None:
            level = LEVELS.get(item["AccessLevel"].strip().casefold())
            if level is None:
                raise RowFailure(MSG_LEVEL)
            values["AccessLevel"] = level
        if _given(item, "InActiveDate") is not None:
            ms = request_ms(item["InActiveDate"], json_dates)
            if ms is None:
                raise RowFailure(MSG_DATE)
            values["ExpirationDate"] = user_timestamp(ms / 1000)
        if _given(item, "Brand"):
            values["Brand"] = item["Brand"]
        return values

    def _import_teams(self, item: dict[str, Any], teams: dict[str, str], caller: Caller) -> list[str]:
        """The teams the row names; a Team Leader's rows must name teams it leads, Team1 first."""
        team_ids = [self._import_code(teams, item[c], "Team") for c in TEAM_COLUMNS if _given(item, c)]
        if caller.level == "Team_Leader":
            led = {m["TeamId"] for m in self._teams.members.select(
                lambda r: r["UserId"] == caller.user_id and (r["Leader"] or r["Admin"]))}
            if not _given(item, "Team1") or any(team_id not in led for team_id in team_ids):
                raise RowFailure(MSG_LEAD)
        return team_ids

    @staticmethod
    def _import_code(codes: dict[str, str], code: str, kind: str) -> str:
        found = codes.get(code.strip().casefold())
        if found is None:
            raise RowFailure(f"{kind} code {code.strip()} was not found.")
        return found

    def _import_rules(self, candidate: Row, changed: set[str], current: Row | None) -> None:
        """The rules of POST/PUT /users, their 409/404 texts as the row's reason."""
        try:
            self._users.check(candidate, changed, current)
        except MockError as error:
            raise RowFailure(error.message, invalid_email=error.message == MSG_EMAIL) from None

    def _create_imported(self, username: str, values: dict[str, Any], skip_first_login: bool) -> Row:
        if not values.get("FirstName") or not values.get("LastName"):
            raise RowFailure(MSG_NAMES)
        custom = EMAIL.fullmatch(username) is None  # an import takes usernames that are not email addresses
        extra = {k: values.pop(k) for k in ("Brand", "ExpirationDate") if k in values}
        writable = {**self._users.writable(values), "IsCustomUsername": custom}
        if not writable.get("Email") and not custom:
            writable["Email"] = username
        if skip_first_login:
            writable["SkipFirstLogin"] = True
        candidate = {**USER_DEFAULTS, **writable, **extra, "UserName": username}
        self._import_rules(candidate, set(writable) | {"UserName"}, None)
        row = self._users.new_row({**candidate, "CreatedDate": user_timestamp(self._shared.clock.now())})
        self._users.table.insert(row)
        return row

    def _update_imported(self, current: Row, values: dict[str, Any]) -> Row:
        extra = {k: values.pop(k) for k in ("Brand", "ExpirationDate") if k in values}
        changes = {**self._users.writable(values), **extra}
        candidate = {**current, **changes}
        if current["AccessLevel"] == OWNER and (not candidate["Active"] or candidate["AccessLevel"] != OWNER):
            raise RowFailure(MSG_OWNER)
        self._import_rules(candidate, set(changes), current)
        return self._users.table.update(current["id"], changes)
