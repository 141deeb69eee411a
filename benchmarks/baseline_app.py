"""The baseline: a bare Starlette app answering every GET with fixed bytes.

Started by bench_get.py with the body and content type the mock returned for the same record,
so the ratio compares the mock's whole pipeline against the cheapest possible answer.
"""

from __future__ import annotations

import os
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = open(os.environ["BASELINE_BODY_FILE"], "rb").read()
CONTENT_TYPE = os.environ.get("BASELINE_CONTENT_TYPE", "application/json")


async def answer(request):  # noqa: ANN001 - Starlette endpoint
    return Response(BODY, headers={"content-type": CONTENT_TYPE})


app = Starlette(routes=[Route("/{path:path}", answer)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", http="httptools", lifespan="off")
