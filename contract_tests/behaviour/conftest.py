"""Fixtures of the behaviour contracts: one per vendor (vendor_api.py says against what)."""

from __future__ import annotations

import pytest

from .vendor_api import VendorApi, vendor_api


@pytest.fixture(scope="module")
def titus(request: pytest.FixtureRequest) -> VendorApi:
    return vendor_api(request, "titus")


@pytest.fixture(scope="module")
def litmos(request: pytest.FixtureRequest) -> VendorApi:
    return vendor_api(request, "litmos")


@pytest.fixture(scope="module")
def tesla(request: pytest.FixtureRequest) -> VendorApi:
    return vendor_api(request, "tesla")
