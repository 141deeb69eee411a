"""Settings from command-line flags, `MOCKSERVER_*` environment variables and defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from .connections import ConnectionLimits
from .core.clock import parse_duration
from .core.cors import CorsSetting
from .core.ratelimit import Limit

VENDOR_CHOICES = ("titus", "litmos", "tesla", "all")
MAX_BODY_BYTES = 1024 * 1024  # an operation may allow more in its spec (x-max-body-bytes: Litmos bulk imports)
MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024  # a whole exported state, imported back


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
    log_format: str = "text"  # text, or json (one JSON object a line, for log shippers)
    framework_logs: bool = False  # Connexion, uvicorn, Werkzeug at log_level too (else warning at most)
    litmos_rate_limit: str = "100/60s"
    litmos_auth_status: int = 401
    quirks: bool = False
    journal_size: int = 1000
    journal_max_bytes: int = 8 * 1024 * 1024  # each journal's entries, about (oldest dropped beyond)
    max_body_bytes: int = MAX_BODY_BYTES  # per vendor request (413 beyond), unless the operation allows more
    max_admin_body_bytes: int = MAX_ADMIN_BODY_BYTES  # per admin request: state import, scenarios
    max_header_bytes: int = 64 * 1024  # request line and headers (431 beyond)
    max_connections: int = 0  # open connections at once; 0: the open-file limit less 128, at most 4096
    header_timeout: float = 10.0  # seconds for a request head to arrive (idle sockets are closed)
    body_timeout: float = 30.0  # seconds a request body may stall between two reads
    keepalive_timeout: float = 5.0  # seconds an idle keep-alive connection is kept
    admin_token: str = field(default="", repr=False)  # when set, /__admin (but health) needs it as a Bearer token
    specs: Path = field(default_factory=lambda: package_data_dir("specs"))
    scenario: str = ""  # scenario files applied at startup and after every reset, separated by ","
    max_namespaces: int = 64
    namespace_ttl: str = "30m"  # a namespace unused this long is dropped
    state_file: str = ""  # load the default namespace's data from here at start, save it here while running
    state_save_interval: float = 10.0  # seconds between saves of the state file (only when the state changed)
    state_file_reset: bool = False  # a state file that cannot be loaded is set aside instead of stopping the start
    cors: str = "vendor"  # off, vendor (each vendor's real CORS configuration) or allowed origins, comma-separated
    tls_cert: str = ""  # PEM certificate (chain): with tls_key, every vendor is served over HTTPS
    tls_key: str = ""  # its unencrypted PEM private key

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
        if not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise ValueError(f"port must be a number from 1 to 65535 (0: any free port), not {self.port}")
        if self.admin_token and (len(self.admin_token) < 8 or not self.admin_token.isprintable()
                                 or any(c.isspace() for c in self.admin_token)):
            raise ValueError("admin_token must be at least 8 printable characters without spaces")
        if not self.host.strip():
            raise ValueError("host must be an address such as 127.0.0.1 or 0.0.0.0")
        if not 0.5 <= self.state_save_interval <= 86400:
            raise ValueError("state_save_interval must be from 0.5 to 86400 seconds")
        if self.state_file and not Path(self.state_file).expanduser().parent.is_dir():
            raise ValueError(f"state_file: the folder of {self.state_file} does not exist")
        if self.state_file and Path(self.state_file).expanduser().is_dir():
            raise ValueError(f"state_file: {self.state_file} is a folder; name a file in it")
        if self.log_format not in ("text", "json"):
            raise ValueError(f"log_format must be text or json, not {self.log_format!r}")
        if self.vendor not in VENDOR_CHOICES:
            raise ValueError(f"vendor must be one of {', '.join(VENDOR_CHOICES)}, not {self.vendor!r}")
        Limit.parse(self.litmos_rate_limit)
        if self.litmos_auth_status not in (401, 403):
            raise ValueError("litmos_auth_status must be 401 or 403")
        for name in ("max_body_bytes", "max_admin_body_bytes", "max_header_bytes"):
            if getattr(self, name) < 1024:
                raise ValueError(f"{name} must be at least 1024 bytes")
        if self.max_connections < 0:
            raise ValueError("max_connections must be 0 (from the open-file limit) or more")
        for name in ("header_timeout", "body_timeout", "keepalive_timeout"):
            if not 0 < getattr(self, name) <= 3600:
                raise ValueError(f"{name} must be a number of seconds above 0 and at most 3600")
        if self.journal_max_bytes < 64 * 1024:
            raise ValueError("journal_max_bytes must be at least 65536")
        if self.journal_size < 1:
            raise ValueError("journal_size must be at least 1")
        if self.max_namespaces < 0:
            raise ValueError("max_namespaces must be 0 (no namespaces) or more")
        if self.namespace_ttl_seconds <= 0:
            raise ValueError("namespace_ttl must be a positive duration such as 30m")
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ValueError("tls_cert and tls_key go together: give both (HTTPS) or neither (HTTP)")
        self.cors_setting  # noqa: B018 (refuses a value it cannot use, with what to write instead)

    @property
    def connection_limits(self) -> ConnectionLimits:
        return ConnectionLimits(self.max_header_bytes, self.header_timeout, self.body_timeout,
                                self.keepalive_timeout, self.max_connections)

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert else "http"

    @property
    def loopback_only(self) -> bool:
        """Whether only this machine can reach the server."""
        host = self.host.strip().lower()
        return host in ("localhost", "::1") or host.startswith("127.")

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
    if kind == "float":
        return float(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind == "Path":
        return Path(raw)
    return raw
