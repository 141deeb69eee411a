"""How the admin API reads a JSON body: Connexion's validator, refusing what would crash it.

Python's JSON parser recurses once per nesting level and refuses integers of more than 4,300
digits with a ValueError that is not a JSONDecodeError; both reached the client as a 500. Here
each is a 400 naming the problem, and a body nested deeper than any admin document has reason
to be is refused before a handler or validator has to walk it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from connexion.exceptions import BadRequestProblem
from connexion.validators import JSONRequestBodyValidator

from ..core.nesting import MAX_DEPTH, nests_deeper_than


class GuardedJSONBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Any) -> Any:
        text = b"".join([message async for message in stream]).decode(self._encoding)
        if not text:
            return None
        try:
            data = json.loads(text)
        except RecursionError:
            raise BadRequestProblem(detail=f"request body nests more than {MAX_DEPTH} levels deep") from None
        except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
            raise BadRequestProblem(detail=f"request body is not valid JSON: {exc}") from None
        if nests_deeper_than(data):
            raise BadRequestProblem(detail=f"request body nests more than {MAX_DEPTH} levels deep")
        return data
