"""TeSLA CE's CORS configuration: django-cors-headers 4.2.0 as tesla-ce 1.0.10 sets it up.

`CORS_ORIGIN_ALLOW_ALL = True`, no credentials, `CORS_ALLOW_HEADERS = ('vleid', 'VLEID',
'Authorization', 'Content-Type')` (the `vleid` pair is allowed and otherwise ignored), the
library's default methods and one-day max age, `CORS_URLS_REGEX` `^.*$`. The middleware sits
before CommonMiddleware and DRF, so a preflight on any path (the LAPI and unknown paths too) is
an empty `text/html` 200 before the slash redirect and before authentication; it is keyed on
`Access-Control-Request-Method` alone, so without `Origin` it is still that 200, only without
access-control headers. Every answer gains `Vary: origin`.
"""

from __future__ import annotations

from ...core.cors import CorsPolicy

TESLA_CORS = CorsPolicy(
    allow_methods=("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"),
    allow_headers=("vleid", "VLEID", "Authorization", "Content-Type"),
    max_age=86400,
    preflight_status=200,
    preflight_content_type="text/html; charset=utf-8",
    preflight_without_origin=True,
    vary_always=True,
    vary_token="origin",
    options_get_preflight_headers=True,
)
