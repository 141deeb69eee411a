"""Vendor-neutral building blocks: state, time, limits, journal, errors, schemas.

Nothing in this package knows any vendor's name; vendors compose these pieces.
"""
