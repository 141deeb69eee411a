"""Titus Connect state and rules, one module per resource family. No HTTP in here."""

from .backend import TitusBackend
from .caller import Principal

__all__ = ["Principal", "TitusBackend"]
