"""Who may call what: each operation's `x-capability` (or `x-public`) in specs/titus/openapi.yaml.

Read once at startup into operationId -> Rule, and looked up per request by the handlers
(handlers/context.py). A spec that leaves an operation without either extension, or names a
capability `x-capability-names` does not word, stops the server before it listens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...core.routes import HTTP_METHODS
from ...core.sharing import SharedByForks

CAPABILITY = "x-capability"
PUBLIC = "x-public"
NAMES = "x-capability-names"


class PolicyError(ValueError):
    """The spec's policy extensions are incomplete or contradict each other."""


@dataclass(frozen=True)
class Capability(SharedByForks):
    """A Moodle capability, with the language string a refusal shows (`Create users`)."""

    name: str
    title: str


@dataclass(frozen=True)
class Rule:
    """What one operation needs: a capability (None: any valid token) and whether it writes.

    Every operation but a GET writes; the readonly token may call none of them."""

    capability: Capability | None
    writes: bool


class Policy(SharedByForks):
    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.rules = dict(rules)

    @classmethod
    def from_spec(cls, document: Mapping[str, Any]) -> Policy:
        """Every operation of an OpenAPI document, with its capability worded by `x-capability-names`."""
        names = document.get(NAMES) or {}
        rules: dict[str, Rule] = {}
        problems: list[str] = []
        for path, item in (document.get("paths") or {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                operation_id = operation["operationId"]
                name, public = operation.get(CAPABILITY), operation.get(PUBLIC) is True
                if (name is None) == (not public):
                    problems.append(f"{operation_id} ({method.upper()} {path}) needs exactly one of "
                                    f"{CAPABILITY}: <capability> or {PUBLIC}: true")
                    continue
                if name is not None and name not in names:
                    problems.append(f"{operation_id}: {name} has no title in {NAMES}")
                    continue
                capability = None if name is None else Capability(name, str(names[name]))
                rules[operation_id] = Rule(capability, writes=method != "get")
        if problems:
            raise PolicyError("; ".join(problems))
        return cls(rules)

    def rule(self, operation_id: str) -> Rule:
        return self.rules[operation_id]

    def capability(self, operation_id: str) -> Capability:
        """The capability an operation needs; a public operation has none to give."""
        capability = self.rules[operation_id].capability
        if capability is None:
            raise PolicyError(f"{operation_id} is {PUBLIC}: it needs no capability")
        return capability
