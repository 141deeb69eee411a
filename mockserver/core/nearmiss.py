"""The spec routes closest to a request that matched none, so a 404/405 can say "did you mean"."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_PARAM = re.compile(r"\{[^/{}]+\}")
PATH_WEIGHT = 0.8
METHOD_WEIGHT = 0.2
COSMETIC_PENALTY = 0.95


@lru_cache(maxsize=1024)
def _segment_pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
    return re.compile(_PARAM.sub("[^/]+", escaped) + r"\Z")


def _segment_score(requested: str, template: str) -> float:
    """1.0 when a template segment accepts the requested one, else a case-blind similarity ratio."""
    if _PARAM.search(template):
        if _segment_pattern(template).match(requested):
            return 1.0
        template = _PARAM.sub("", template)
    if requested == template:
        return 1.0
    ratio = SequenceMatcher(None, requested.lower(), template.lower()).ratio()
    # a case-only difference is close but, for a case-sensitive vendor, still a miss
    return ratio * COSMETIC_PENALTY if ratio == 1.0 else ratio


def _path_score(path: str, template: str) -> float:
    requested = [s for s in path.split("/") if s]
    wanted = [s for s in template.split("/") if s]
    longest = max(len(requested), len(wanted))
    if longest == 0:
        score = 1.0
    else:
        score = sum(_segment_score(r, t) for r, t in zip(requested, wanted)) / longest
    if path.split("/") != [""] + requested and template.split("/") == [""] + wanted:
        # empty segments (trailing or doubled slashes) the template does not have
        score *= COSMETIC_PENALTY
    return score


def score(method: str, path: str, route_method: str, template: str) -> float:
    """How close `method path` is to the operation `route_method template`, 0..1 (unrounded)."""
    same_method = method.upper() == route_method.upper()
    return PATH_WEIGHT * _path_score(path, template) + METHOD_WEIGHT * same_method


def nearest(method: str, path: str, operations: list[tuple[str, str]], limit: int = 3) -> list[dict]:
    """The `limit` operations closest to `method path`, best first.

    Each result is `{"method": M, "path": template, "score": s}` with s rounded to 3 places:

        s = 0.8 * path_score + 0.2 * (1 if the methods are equal, case-blind, else 0)
        path_score = sum(segment scores over aligned pairs) / max(len(request segs), len(template segs))

    Segments come from splitting on "/" and dropping empties, and are compared pairwise by
    position; missing segments score 0, which is the penalty for differing segment counts. A
    template segment holding a `{param}` scores 1 when it accepts the requested segment; otherwise
    (and for literal segments) the score is difflib's SequenceMatcher ratio of the lower-cased
    texts (parameters removed from the template). A case-only difference scores 0.95 rather than
    1, and a path with empty segments (a trailing or doubled "/") its template lacks has its
    path_score multiplied by 0.95, so only an exact match reaches 1. Equal scores (after
    rounding) keep the order of `operations`, i.e. spec order.
    """
    if limit <= 0:
        return []
    scored = [(round(score(method, path, m, t), 3), index, m, t) for index, (m, t) in enumerate(operations)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [{"method": m, "path": t, "score": s} for s, _, m, t in scored[:limit]]
