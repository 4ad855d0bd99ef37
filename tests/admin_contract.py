"""The Admin API's contract (campaigns/cxone/contract/admin-api.json, an OpenAPI 3.1 fragment written from
shared/design/cxone-admin-api.md) as a test tool: `AdminContract.check_request` and `check_response` name every
way a request or an answer leaves it, and `ContractTransport` wraps the transport an AdminClient sends through so
that every request the client sends and every answer the sandbox gives is held to it: a mismatch raises
ContractViolation (an AssertionError) out of the call that made it. Neither the sandbox nor the client imports
this: both are measured against the published shapes, never only against each other."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACT = Path(__file__).resolve().parent.parent / "campaigns" / "cxone" / "contract" / "admin-api.json"
URI = "urn:cxone-admin-api"
METHODS = ("get", "put", "post", "patch", "delete")
# Headers about the body as it travelled: the body is handed on read and decoded.
PASSED_ON_ONLY = ("content-encoding", "transfer-encoding", "content-length")


class ContractViolation(AssertionError):
    """A request or an answer outside the Admin API's contract."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    pointer: str  # where the operation sits in the document
    spec: dict
    pattern: re.Pattern = field(compare=False, repr=False)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


class AdminContract:
    def __init__(self, path: Path = CONTRACT):
        self.document = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(URI, resource)
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._verdicts: dict[tuple[str, str], list[str]] = {}
        self.operations: list[Operation] = []
        for template, item in self.document["paths"].items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$"
            for method in METHODS:
                if method in item:
                    pointer = f"/paths/{_escape(template)}/{method}"
                    self.operations.append(
                        Operation(item[method]["operationId"], method.upper(), template, pointer, item[method],
                                  re.compile(regex))  # fmt: skip
                    )
        # Literal segments before parameters: /skills/parameters is not the skill "parameters".
        self.operations.sort(key=lambda op: op.template.count("{"))

    # --- Finding the operation ------------------------------------------------------------------------------

    def operation(self, method: str, path: str) -> tuple[Operation | None, dict[str, str]]:
        for op in self.operations:
            if op.method != method.upper():
                continue
            match = op.pattern.match(path)
            if not match:
                continue
            names = re.findall(r"\{([^}]+)\}", op.template)
            params = dict(zip(names, match.groups(), strict=True))
            if all(self._valid(self._param(op, name, "path"), value) for name, value in params.items()):
                return op, params
        return None, {}

    # --- Requests ------------------------------------------------------------------------------------------

    def check_request(self, request: httpx.Request) -> list[str]:
        where = f"{request.method} {request.url.path}"
        op, path_params = self.operation(request.method, request.url.path)
        if op is None:
            return [f"{where}: no such operation in the contract"]
        problems = self._check_credentials(op, request, where)
        query = list(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        declared = {p["name"]: p for p in op.spec.get("parameters", []) if p["in"] == "query"}
        seen = [name for name, _ in query]
        for name in seen:
            if name not in declared:
                problems.append(f"{where}: query parameter {name!r} is not in the contract")
            elif seen.count(name) > 1:
                problems.append(f"{where}: query parameter {name!r} sent twice")
        for name, value in query:
            if name in declared and not self._valid(declared[name], value):
                problems.append(f"{where}: query parameter {name}={value!r} is outside {declared[name]['schema']}")
        for name, param in declared.items():
            if param.get("required") and name not in seen:
                problems.append(f"{where}: required query parameter {name!r} missing")
        body = op.spec.get("requestBody")
        content = request.content
        if body is None:
            if content:
                problems.append(f"{where}: the contract has no request body, {len(content)} bytes sent")
            return problems
        media = request.headers.get("content-type", "").split(";")[0].strip()
        if media not in body["content"]:
            return [*problems, f"{where}: body sent as {media!r}, the contract takes {sorted(body['content'])}"]
        if media == "application/x-www-form-urlencoded":
            payload = dict(parse_qsl(content.decode(), keep_blank_values=True))
        else:
            try:
                payload = json.loads(content)
            except ValueError:
                return [*problems, f"{where}: the body is not JSON"]
        pointer = f"{op.pointer}/requestBody/content/{_escape(media)}/schema"
        problems += [f"{where}: request body {e}" for e in self.errors(pointer, payload)]
        return problems

    def _check_credentials(self, op: Operation, request: httpx.Request, where: str) -> list[str]:
        schemes = {name for rule in op.spec.get("security", self.document["security"]) for name in rule}
        given = request.headers.get("authorization", "").split(" ")[0].lower()
        wanted = {"bearer": "bearer", "application": "basic"}
        if schemes and given not in {wanted[name] for name in schemes}:
            return [f"{where}: sent with {given or 'no'} credentials, the contract wants {sorted(schemes)}"]
        return []

    # --- Answers -------------------------------------------------------------------------------------------

    def check_response(self, request: httpx.Request, status: int, headers, content: bytes) -> list[str]:
        where = f"{request.method} {request.url.path} → {status}"
        op, _ = self.operation(request.method, request.url.path)
        if op is None:
            return [f"{where}: no such operation in the contract"]
        responses = op.spec["responses"]
        key = str(status) if str(status) in responses else f"{status // 100}XX"
        if key not in responses:
            return [f"{where}: status {status} is not an answer of {op.operation_id} ({sorted(responses)})"]
        answer = responses[key]
        if "content" not in answer:
            return [f"{where}: the contract gives no body, {len(content)} bytes came"] if content.strip() else []
        media = headers.get("content-type", "").split(";")[0].strip()
        if media not in answer["content"]:
            return [f"{where}: answered as {media!r}, the contract gives {sorted(answer['content'])}"]
        try:
            body = json.loads(content)
        except ValueError:
            return [f"{where}: the body is not JSON"]
        pointer = f"{op.pointer}/responses/{_escape(key)}/content/{_escape(media)}/schema"
        # The same bytes get the same verdict: a calling list's thousands of records are checked once per run.
        seen = (pointer, hashlib.sha256(content).hexdigest())
        if seen not in self._verdicts:
            self._verdicts[seen] = self.errors(pointer, body)
        return [f"{where}: {error}" for error in self._verdicts[seen]]

    # --- JSON Schema ---------------------------------------------------------------------------------------

    def errors(self, pointer: str, instance) -> list[str]:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = jsonschema.Draft202012Validator({"$ref": f"{URI}#{pointer}"}, registry=self.registry)
            self._validators[pointer] = validator
        found = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [f"at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in found[:5]]

    def _param(self, op: Operation, name: str, where: str) -> dict:
        for param in op.spec.get("parameters", []):
            if param["name"] == name and param["in"] == where:
                return param
        return {"schema": {}}

    def _valid(self, param: dict, raw: str) -> bool:
        schema = param.get("schema", {})
        kinds = schema.get("type")
        value: object = raw
        if kinds == "integer":
            if not re.fullmatch(r"-?[0-9]+", raw):
                return False
            value = int(raw)
        elif kinds == "boolean":
            if raw not in ("true", "false"):
                return False
            value = raw == "true"
        validator = jsonschema.Draft202012Validator(schema, registry=self.registry)
        if "$ref" in schema:
            validator = jsonschema.Draft202012Validator({"$ref": URI + schema["$ref"]}, registry=self.registry)
        return validator.is_valid(value)


@cache
def admin_contract() -> AdminContract:
    return AdminContract()


class ContractTransport(httpx.AsyncBaseTransport):
    """Sends through `inner` and holds each request and its answer to the contract; `seen` counts the
    operations that went by, `violations` lists what left the contract (each also raised as ContractViolation).
    Requests to the sandbox's own /_sandbox/ control API are not CXone's and pass unchecked."""

    def __init__(self, inner: httpx.AsyncBaseTransport, contract: AdminContract | None = None):
        self.inner = inner
        self.contract = contract or admin_contract()
        self.seen: dict[str, int] = {}
        self.violations: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/_sandbox/"):
            return await self.inner.handle_async_request(request)
        problems = self.contract.check_request(request)
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        problems += self.contract.check_response(request, response.status_code, response.headers, content)
        op, _ = self.contract.operation(request.method, request.url.path)
        if op is not None:
            self.seen[op.operation_id] = self.seen.get(op.operation_id, 0) + 1
        if problems:
            self.violations.extend(problems)
            raise ContractViolation("; ".join(problems))
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in PASSED_ON_ONLY]
        return httpx.Response(response.status_code, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()
