"""Titus Connect v1 (designed contract, docs/titus.md): Moodle-shaped JSON over Bearer tokens."""
