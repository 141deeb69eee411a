"""Schemathesis over the Litmos spec (contract_tests/spec_contract.py says how)."""

from __future__ import annotations

import pytest

from .spec_contract import check_spec_contract
from .targets import Target

pytestmark = pytest.mark.contract


def test_litmos_spec_contract(target: Target) -> None:
    check_spec_contract(target, "litmos")
