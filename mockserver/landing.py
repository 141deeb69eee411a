"""The page at `/` when no API owns it: where the dashboard is, each vendor's base URL and its
Swagger UI, the admin API and its docs. Built from the mounts, so it is right for any `--vendor`."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from . import __version__
from .mounts import Mount
from .vendors.base import WireResponse

TITLES = {"titus": "Titus Connect", "litmos": "Litmos", "tesla": "TeSLA CE"}


def landing_page(mounts: Iterable[Mount], base_path: str = "") -> WireResponse:
    """`base_path`: the namespace prefix the page was asked through (`/ns/job-1`), which the
    vendor links keep; the admin links never do (the admin API takes `?namespace=` instead)."""
    items = []
    admin = "/__admin"
    for mount in sorted(mounts, key=lambda m: m.name):
        if mount.name == "admin":
            admin = mount.prefix
            continue
        base = escape(base_path + mount.prefix) or "/"
        ui = escape(base_path + mount.prefix + "/ui/")
        items.append(f'<li><strong>{escape(TITLES.get(mount.name, mount.name))}</strong>: base URL '
                     f'<code>{base}</code> · <a href="{ui}">Swagger UI</a></li>')
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lms-mockserver {escape(__version__)}</title></head>
<body>
<h1>lms-mockserver {escape(__version__)}</h1>
<p><a href="{escape(admin)}/ui/">Dashboard</a>: the data of every vendor and namespace, the journal, fault rules,
the clock, rate limits, reset and snapshots.</p>
<ul>
{chr(10).join(items)}
</ul>
<p>Admin API: <code>{escape(admin)}</code> · <a href="{escape(admin)}/docs/">its Swagger UI</a>
· <a href="{escape(admin)}/metrics">metrics</a></p>
</body></html>
"""
    return WireResponse(200, body.encode(), "text/html; charset=utf-8",
                        {"Cache-Control": "no-cache", "Content-Security-Policy": "default-src 'none'; "
                         "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff"})
