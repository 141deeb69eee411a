"""How the admin API reads a JSON body: Connexion's validator, refusing what would crash it.

Python's JSON parser recurses once per nesting level and refuses integers of more than 4,300
digits with a ValueError that is not a JSONDecodeError; both reached the client as a 500. Here
each is a 400 naming the problem, and a body nested deeper than any admin document has reason
to be is refused before a handler or validator has to walk it.

A body is checked by its schema compiled with jsonschema-rs first, whose yes is final: a 20 MiB
state import is checked in a fraction of a second instead of seconds. Its no goes to Connexion's
validator, which decides and words the refusal, so every answer reads as before.

A UTF-8 body is parsed once, with core.bodies.loads_exact (orjson, integers past 64 bits kept
exact as the stdlib keeps them), and the value handed on through the request context
(`RequestContext.parsed_body`): the handler and the journal read it instead of parsing the bytes
again (a 20 MiB state was parsed three times, twice by the stdlib's slower parser). What it
refuses (invalid JSON, but also NaN, lone surrogates, which Python's parser accepts) goes the
stdlib's way as before and is not handed on, so each is answered as it was.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import AsyncGenerator, Callable
from typing import Any

from connexion.exceptions import BadRequestProblem
from connexion.validators import JSONRequestBodyValidator

from ..core.bodies import loads_exact
from ..core.memo import Memo
from ..core.nesting import MAX_DEPTH, nests_deeper_than
from ..core.schema import compiled_record_check
from ..context import CONTEXT


# Connexion makes a validator per request; the compiled schema is kept per schema object (the
# resolved admin spec's, shared by every app of the process), with the object to check identity.
_SCREENS: Memo[tuple[dict[str, Any], Callable[[Any], bool]]] = Memo(128)


def _screen(schema: dict[str, Any]) -> Callable[[Any], bool]:
    kept = _SCREENS.get((id(schema),))
    if kept is None or kept[0] is not schema:
        _SCREENS.pop((id(schema),), None)
        kept = _SCREENS.get_or_build((id(schema),), lambda: (schema, compiled_record_check(schema, stored=False)))
    return kept[1]


class GuardedJSONBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Any) -> Any:
        raw = b"".join([message async for message in stream])
        if raw and codecs.lookup(self._encoding).name == "utf-8":
            try:
                data = loads_exact(raw)  # the same value the stdlib gives, for what orjson accepts
            except ValueError:
                pass  # the stdlib parse below accepts or refuses it, in its words, as before
            else:
                _refuse_if_deep(data)
                context = scope.get(CONTEXT)
                if context is not None:
                    context.parsed_body = (data,)
                return data
        text = raw.decode(self._encoding)
        if not text:
            return None
        try:
            data = json.loads(text)
        except RecursionError:
            raise BadRequestProblem(detail=f"request body nests more than {MAX_DEPTH} levels deep") from None
        except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
            raise BadRequestProblem(detail=f"request body is not valid JSON: {exc}") from None
        _refuse_if_deep(data)
        return data

    def _validate(self, body: Any) -> dict | None:
        if body is not None and _screen(self._schema)(body):
            return None  # what Connexion's own validate() gives for a valid body
        return super()._validate(body)


def _refuse_if_deep(data: Any) -> None:
    if nests_deeper_than(data):
        raise BadRequestProblem(detail=f"request body nests more than {MAX_DEPTH} levels deep")
