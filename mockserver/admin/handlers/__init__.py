"""/__admin handlers, one module per resource; operationId == function name (core/resolver.py)."""

from .clock import get_clock, set_clock
from .dashboard import dashboard, dashboard_asset
from .data import data_overview, data_page, data_record
from .faults import add_fault, clear_faults, delete_fault, get_fault, list_faults
from .journal import clear_requests, list_requests
from .metrics import metrics
from .namespaces import delete_namespace, list_namespaces
from .ratelimits import clear_ratelimits, get_ratelimits, set_ratelimit
from .scenarios import list_scenarios, load_scenario
from .server import health, reset
from .snapshots import delete_snapshot, list_snapshots, restore_snapshot, take_snapshot
from .state import export_state, import_state
from .verification import count_requests, find_requests, unmatched_requests

__all__ = [
    "health", "reset", "list_requests", "clear_requests", "export_state", "import_state", "get_clock", "set_clock",
    "add_fault", "clear_faults", "clear_ratelimits", "delete_fault", "delete_namespace", "get_fault",
    "get_ratelimits", "list_faults", "list_namespaces", "list_scenarios", "load_scenario", "set_ratelimit",
    "count_requests", "find_requests", "unmatched_requests", "metrics",
    "list_snapshots", "take_snapshot", "restore_snapshot", "delete_snapshot",
    "dashboard", "dashboard_asset", "data_overview", "data_page", "data_record",
]
