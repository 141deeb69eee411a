"""Titus Connect state and rules, one module per resource family. No HTTP in here."""

from .backend import TitusBackend
from .common import Principal

__all__ = ["Principal", "TitusBackend"]
