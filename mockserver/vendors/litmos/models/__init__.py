"""Litmos state and rules (no HTTP): the backend, composed of one part per resource."""

from .backend import LitmosBackend

__all__ = ["LitmosBackend"]
