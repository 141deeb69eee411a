"""Scenario files: fault rules, clock settings, rate limits and state overrides in one YAML or
JSON document, applied at startup (`mockserver run --scenario FILE`) or through
`POST /__admin/scenarios`. A scenario is checked as a whole and applies all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from .config import package_data_dir
from .controls import check_ratelimit, check_rule_match, change_ratelimit, merged_state, override_state
from .core.clock import apply_change
from .core.errors import ErrorKind, MockError
from .core.faults import FaultBook, FaultError
from .core.nesting import MAX_DEPTH, nests_deeper_than
from .config import Settings
from .core.schema import SpecDocument, error_field, iter_errors
from .realm import Realm
from .vendors.base import Vendor

MAX_SCENARIO_BYTES = 1024 * 1024


class ScenarioRules(Protocol):
    """What checking a scenario needs from the server: the admin schema, the seed, the vendors."""

    admin_spec: SpecDocument
    settings: Settings
    vendors: dict[str, Vendor]


class ScenarioError(ValueError):
    """A scenario that cannot be applied; the message names the part at fault."""


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases: a few lines of aliases can stand for
    billions of nodes ("billion laughs"), and a scenario has no need of them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not accepted in scenarios",
                                              event.start_mark)
        return super().compose_node(parent, index)


def parse_text(text: str | bytes, kind: str = "yaml") -> Any:
    """YAML (JSON is YAML too) or strict JSON; aliases and tags beyond the safe set are refused."""
    try:
        if kind == "json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a safe loader)
    except (ValueError, yaml.YAMLError) as exc:
        raise ScenarioError(f"not valid {kind.upper()}: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        data = None
        too_deep = True
    else:
        too_deep = nests_deeper_than(data)
    if too_deep:
        raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep: not a scenario")
    return data


def locate(path: Path) -> Path:
    """A scenario file as given, else the packaged example of that name (`qa/<name>.yaml`), so
    `--scenario titus-token-expiry` works in the Docker image too."""
    if path.exists():
        return path
    shipped = package_data_dir("qa")
    for candidate in (shipped / path.name, shipped / f"{path.name}.yaml"):
        if candidate.is_file():
            return candidate
    return path


@dataclass
class Scenario:
    name: str
    data: dict[str, Any]

    @classmethod
    def from_file(cls, path: Path, runtime: ScenarioRules) -> "Scenario":
        path = locate(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read the scenario file: {exc.strerror}") from None
        try:
            return cls.from_data(parse_text(raw, "json" if path.suffix == ".json" else "yaml"), runtime, path.stem)
        except ScenarioError as exc:
            raise ScenarioError(f"{path}: {exc}") from None

    @classmethod
    def from_data(cls, data: Any, runtime: ScenarioRules, default_name: str = "scenario") -> "Scenario":
        if not isinstance(data, dict):
            raise ScenarioError("a scenario must be a mapping (faults, clock, ratelimits, state)")
        errors = list(iter_errors(runtime.admin_spec.request_validator("Scenario"), data))
        if errors:
            where = error_field(errors[0]) or "scenario"
            raise ScenarioError(f"{where}: {errors[0].message}")
        scratch = FaultBook(runtime.settings.seed)
        for index, rule in enumerate(data.get("faults") or []):
            try:
                check_rule_match(rule, runtime.vendors)
                scratch.add(rule)
            except (FaultError, MockError) as exc:
                raise ScenarioError(f"faults[{index}]: {exc}") from None
        return cls(str(data.get("name") or default_name), data)

    def check(self, realm: Realm) -> None:
        """Everything that depends on the live realm, checked before anything is applied."""
        try:
            for change in self.data.get("ratelimits") or []:
                check_ratelimit(realm, change)
            for vendor, override in (self.data.get("state") or {}).items():
                merged_state(realm, vendor, override)
            if self.data.get("clock"):
                apply_change(realm.clock.copy(), self.data["clock"])
        except MockError as exc:
            raise ScenarioError(exc.message) from None
        except ValueError as exc:
            raise ScenarioError(f"clock: {exc}") from None

    def for_vendor(self, vendor: str) -> "Scenario":
        """The part of this scenario about one vendor (its state, rules and limits; no clock),
        re-applied when only that vendor is reset."""
        data = {
            "state": {v: o for v, o in (self.data.get("state") or {}).items() if v == vendor},
            "faults": [r for r in self.data.get("faults") or [] if (r.get("match") or {}).get("vendor") == vendor],
            "ratelimits": [c for c in self.data.get("ratelimits") or [] if c.get("vendor") == vendor],
        }
        return Scenario(self.name, data)

    def apply(self, realm: Realm) -> dict[str, Any]:
        """Apply to `realm` (all or nothing) and say what was added."""
        self.check(realm)
        state = self.data.get("state") or {}
        try:
            applied_state = override_state(realm, state) if state else []
        except MockError as exc:
            raise ScenarioError(exc.message) from None
        faults = [realm.faults.add(rule).id for rule in self.data.get("faults") or []]
        if self.data.get("clock"):
            # Before the rate limits: `used` fills a counter at the current mock time, which must
            # be the scenario's time, or a clock jump would empty the window just filled.
            apply_change(realm.clock, self.data["clock"])
        limits = []
        for change in self.data.get("ratelimits") or []:
            change_ratelimit(realm, change)
            limits.append(change["vendor"] + (f":{change['credential']}" if change.get("credential") else ""))
        result: dict[str, Any] = {"name": self.name, "faults": faults, "state": applied_state, "ratelimits": limits}
        if self.data.get("clock"):
            result["clock"] = realm.clock.view()
        return result


def scenario_error(exc: ScenarioError) -> MockError:
    return MockError(ErrorKind.BAD_REQUEST, f"scenario not applied, nothing changed: {exc}", code="bad_scenario")
