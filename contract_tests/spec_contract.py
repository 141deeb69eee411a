"""Schemathesis over one spec: all default checks, every phase including stateful, no failures.

Each spec's test is a file of its own (test_schemathesis_<spec>.py): pytest-xdist's `loadfile`
keeps a file on one worker, so one file for all four runs put minutes of Schemathesis on one core."""

from __future__ import annotations

from typing import Any

import pytest

from . import schemathesis_run
from .auth import VENDOR_RUNS
from .targets import Target

# Schemathesis's own list for refused invalid data, plus 413 (a body over the size limit).
NEGATIVE_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
# The stateful phase carries values from one answer into the next request's parameters without
# checking them against those parameters' schemas (schemathesis/schemathesis#2983): a TeSLA
# record's UUID sent as the `id` filter whose pattern is digits. The spec's own 400 for such a
# value is no failure; every other phase still holds positive data to the default statuses.
STATEFUL_POSITIVE_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def check_spec_contract(target: Target, mount: str) -> None:
    """The body of each test_schemathesis_<spec>.py: Schemathesis over `mount`'s spec on `target`."""
    if mount not in target.mounts:
        pytest.skip(f"{mount} is not mounted on this server")
    vendor_run = VENDOR_RUNS[mount]
    # No example database: a run depends on nothing but the seed (and Hypothesis keeps no Pareto
    # front of past examples, an eighth of a run's time).
    generation = {"max-examples": vendor_run.max_examples, "database": "none"}
    config: dict[str, Any] = {"seed": 20261122, "generation": generation, **vendor_run.config,
                              **vendor_run.live_config(target)}
    headers = vendor_run.headers(target)
    if headers:
        config["headers"] = headers
    config["operations"] = [*config.get("operations", []), *vendor_run.operations(target)]
    # A body past the server's size limit is refused with 413 before it is read: a refusal too.
    config.setdefault("checks", {}).setdefault("negative_data_rejection", {"expected-statuses": NEGATIVE_STATUSES})
    config.setdefault("phases", {}).setdefault("stateful", {}).setdefault("checks", {})["positive_data_acceptance"] = {
        "expected-statuses": STATEFUL_POSITIVE_STATUSES}
    schema = schemathesis_run.load_schema(target, mount, config)
    try:
        report = schemathesis_run.run(schema, vendor_run.hooks)
    finally:
        target.reset(mount)
    print(f"{mount}: {report.summary()}")  # shown with `pytest -rP`: the numbers a closing note quotes
    assert report.scenarios > 0, report.summary()
    assert not report.failures and not report.errors, report.summary()
    if vendor_run.stateful:
        assert report.phases.get("stateful") == "success", report.summary()
