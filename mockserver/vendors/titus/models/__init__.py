"""Titus Connect state and rules, one module per resource. No HTTP in here."""

from .backend import TitusBackend
from .caller import Caller, Principal

__all__ = ["Caller", "Principal", "TitusBackend"]
