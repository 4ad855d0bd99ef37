"""Small helpers shared by the sandbox's routes: contract errors as exceptions, strict JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

MAX_BODY_BYTES = 1_000_000


class ApiError(Exception):
    """A contract error answer (raised anywhere in a route, turned into JSON by the app)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def not_found(kind: str) -> ApiError:
    return ApiError(404, {"code": f"{kind}.not_found", "message": f"No such {kind.replace('_', ' ')}"})


def unprocessable(field: str, message: str) -> ApiError:
    return ApiError(422, {"code": "validation.failed", "details": [{"field": field, "message": message}]})


async def read_json(request: Request) -> Any:
    """The body as JSON, or a 422 for anything else (too big, not UTF-8, not JSON, NaN)."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise unprocessable("", "body too large")
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise unprocessable("", "malformed JSON") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise unprocessable(name, "must be a whole number") from None
    if not low <= value <= high:
        raise unprocessable(name, f"must be from {low} to {high}")
    return value
