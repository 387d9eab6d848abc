"""Request bodies read whole and parsed within bounds, for every route.

aiohttp's `request.content.read(n)` returns what has arrived so far, so a body written in two TCP
segments was cut (a signed event failed its signature; a publish went live without its last passage).
`read_body` reads to the end, counts the bytes itself (a chunked body has no Content-Length) and refuses
past the route's limit. `loads_json` refuses nesting deeper than a person would ever send before
`json.loads` can recurse into a RecursionError.
"""
from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

MAX_JSON_DEPTH = 64
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"')
_BRACKETS = re.compile(r"[\[\]{}]")


class BodyRefused(Exception):
    """A body this route will not take; `status` is 400 or 413 and `reason` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason

    def response(self) -> web.Response:
        return web.json_response({"error": self.reason}, status=self.status)


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, however it arrives (segments, pauses, chunked), or 413 past `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise BodyRefused(413, f"request body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise BodyRefused(413, f"request body over {limit} bytes")
        chunks.append(chunk)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest, strings aside (linear, no recursion)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def loads_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads that raises ValueError (never RecursionError) for nesting deeper than `max_depth`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if json_depth(text) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return json.loads(text)
