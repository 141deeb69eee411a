"""The vendor APIs the mock serves, by name (imported only when mounted)."""

from __future__ import annotations

import importlib

from .base import Vendor

VENDOR_NAMES = ("titus", "litmos", "tesla")
_CLASSES = {
    "titus": "mockserver.vendors.titus.vendor:TitusVendor",
    "litmos": "mockserver.vendors.litmos.vendor:LitmosVendor",
    "tesla": "mockserver.vendors.tesla.vendor:TeslaVendor",
}


def vendor_class(name: str) -> type[Vendor]:
    module_name, _, class_name = _CLASSES[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)
