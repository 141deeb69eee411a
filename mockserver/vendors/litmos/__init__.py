"""Litmos Developer API v1 (docs/litmos.md): users over XML or JSON, API key plus `source`."""
