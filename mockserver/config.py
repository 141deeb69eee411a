"""Settings from command-line flags, `MOCKSERVER_*` environment variables and defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .core.clock import parse_duration
from .core.cors import CorsSetting
from .core.ratelimit import Limit

VENDOR_CHOICES = ("titus", "litmos", "tesla", "all")
MAX_BODY_BYTES = 1024 * 1024


def package_data_dir(name: str) -> Path:
    """`specs` or `fixtures`: inside an installed wheel, or at the repository root."""
    installed = Path(__file__).parent / "_data" / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / name


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    vendor: str = "all"
    fixtures: Path = field(default_factory=lambda: package_data_dir("fixtures"))
    seed: int = 1
    log_level: str = "info"
    litmos_rate_limit: str = "100/60s"
    litmos_auth_status: int = 401
    quirks: bool = False
    journal_size: int = 1000
    max_body_bytes: int = MAX_BODY_BYTES
    specs: Path = field(default_factory=lambda: package_data_dir("specs"))
    scenario: str = ""  # scenario files applied at startup and after every reset, separated by ","
    max_namespaces: int = 64
    namespace_ttl: str = "30m"  # a namespace unused this long is dropped
    cors: str = "vendor"  # off, vendor (each vendor's real CORS configuration) or allowed origins, comma-separated

    @property
    def packaged_fixtures(self) -> Path:
        return package_data_dir("fixtures")

    @property
    def scenario_files(self) -> tuple[Path, ...]:
        return tuple(Path(part.strip()) for part in self.scenario.split(",") if part.strip())

    @property
    def cors_setting(self) -> CorsSetting:
        return CorsSetting.parse(self.cors)

    @property
    def namespace_ttl_seconds(self) -> float:
        return parse_duration(self.namespace_ttl)

    def __post_init__(self) -> None:
        self.fixtures = Path(self.fixtures)
        self.specs = Path(self.specs)
        if not self.fixtures.is_dir():
            raise ValueError(f"fixtures: {self.fixtures} is not a directory")
        if self.vendor not in VENDOR_CHOICES:
            raise ValueError(f"vendor must be one of {', '.join(VENDOR_CHOICES)}, not {self.vendor!r}")
        Limit.parse(self.litmos_rate_limit)
        if self.litmos_auth_status not in (401, 403):
            raise ValueError("litmos_auth_status must be 401 or 403")
        if self.journal_size < 1:
            raise ValueError("journal_size must be at least 1")
        if self.max_namespaces < 0:
            raise ValueError("max_namespaces must be 0 (no namespaces) or more")
        if self.namespace_ttl_seconds <= 0:
            raise ValueError("namespace_ttl must be a positive duration such as 30m")
        self.cors_setting  # noqa: B018 (refuses a value it cannot use, with what to write instead)

    @property
    def vendors(self) -> tuple[str, ...]:
        return ("titus", "litmos", "tesla") if self.vendor == "all" else (self.vendor,)


def env_name(setting: str) -> str:
    return "MOCKSERVER_" + setting.upper()


def from_environ(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings with `MOCKSERVER_<NAME>` values applied under explicit overrides."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    for item in fields(Settings):
        raw = environ.get(env_name(item.name))
        if raw is not None:
            values[item.name] = _coerce(item.type, raw)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


def _coerce(kind: object, raw: str) -> object:
    kind = str(kind)
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind == "Path":
        return Path(raw)
    return raw
