"""Typed errors of the CXone client. Each says whether trying again later can help (`retryable`).

The client retries by itself only transient failures (rate limited, server error, transport error); the others
are raised at once so that the caller can act (fix the credentials, rebase the draft, wait for the
activation)."""

from __future__ import annotations

from typing import Any


class CXoneError(Exception):
    """Base of every error the CXone client raises."""

    retryable = False

    def __init__(self, message: str, *, status_code: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code


class CXoneNotConfigured(CXoneError):
    """A setting the configured backend needs is not set (CXONE_BASE_URL, CXONE_CLIENT_ID, CXONE_CLIENT_SECRET;
    the access key under the Admin API): the message names which."""


class InvalidCredentials(CXoneError):
    """The token endpoint refused the client id/secret, or CXone kept refusing a freshly issued token."""


class MissingScope(CXoneError):
    """The token lacks a scope the operation needs (403 insufficient_scope or scope.missing)."""


class CampaignLocked(CXoneError):
    """403 campaign.locked: an earlier activation of this campaign is still pending. Try again once it
    ends."""

    retryable = True


class NotFound(CXoneError):
    """404: no such campaign, DNC list or contact list."""


class VersionConflict(CXoneError):
    """409 version.mismatch: the campaign changed in CXone since it was read.

    `after_retry` is true when the request had been sent more than once (Transport.request, after a transport
    error or a 5xx): then the conflict may be our own earlier attempt having landed, and `current_version` tells
    which version won. Activation's writes (put_campaign_once) are never resent, so theirs is always false.
    """

    def __init__(self, message: str, *, current_version: int | None, after_retry: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.current_version = current_version
        self.after_retry = after_retry


class ValidationFailed(CXoneError):
    """422: CXone refused the request; `details` is [{"field": ..., "message": ...}, ...]."""

    def __init__(self, message: str, *, details: list[dict] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.details = details or []


class RateLimited(CXoneError):
    """429 after the client's bounded retries; `retry_after` is CXone's hint in seconds (None if it gave
    none)."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(CXoneError):
    """5xx from CXone (after the client's bounded retries)."""

    retryable = True


class TransportError(CXoneError):
    """No usable answer: connection refused or dropped, timeout, broken response."""

    retryable = True


class RequestTimeout(TransportError):
    """The request did not complete within the client's timeout."""


class CircuitOpen(CXoneError):
    """The client stopped calling CXone after repeated 429s; `retry_after` is the cool-down left, in
    seconds."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UnexpectedResponse(CXoneError):
    """An answer outside the contract (unknown status, body that is not the promised JSON)."""


def error_for(status: int, body: Any, *, where: str, retry_after: float | None, resent: bool) -> CXoneError:
    """The typed error a non-2xx answer stands for. `body` is the parsed JSON (or None), `where` says
    "METHOD /path" for the message, `resent` whether this request had been sent before."""
    details = body if isinstance(body, dict) else {}
    code = details.get("code") or details.get("error")
    code = code if isinstance(code, str) else None
    kwargs: dict[str, Any] = {"status_code": status, "code": code}
    if status == 401:
        return InvalidCredentials(f"{where}: CXone refused the client credentials ({code})", **kwargs)
    if status == 403 and code == "campaign.locked":
        return CampaignLocked(f"{where}: an earlier activation is still pending", **kwargs)
    if status == 403 and code in ("scope.missing", "insufficient_scope"):
        return MissingScope(f"{where}: the token lacks a scope this needs ({code})", **kwargs)
    if status == 404:
        return NotFound(f"{where}: not found", **kwargs)
    if status == 409 and code == "campaign.state":
        return InvalidState(f"{where}: CXone refuses this in the campaign's state", **kwargs)
    if status == 409:
        current = details.get("currentVersion")
        current = current if isinstance(current, int) and not isinstance(current, bool) else None
        return VersionConflict(
            f"{where}: the campaign is at version {current} in CXone",
            current_version=current,
            after_retry=resent,
            **kwargs,
        )
    if status == 422:
        raw = details.get("details")
        field_details = [d for d in raw if isinstance(d, dict)] if isinstance(raw, list) else []
        summary = "; ".join(f"{d.get('field')}: {d.get('message')}" for d in field_details)
        return ValidationFailed(
            f"{where}: refused ({summary or 'no details'})", details=field_details, **kwargs
        )
    if status == 429:
        return RateLimited(f"{where}: rate limited", retry_after=retry_after, **kwargs)
    if status >= 500:
        return ServerError(f"{where}: CXone answered {status}", **kwargs)
    return UnexpectedResponse(f"{where}: unexpected status {status}", **kwargs)


class BatchItemsFailed(CXoneError):
    """CXone answered a batch request 2xx but refused some of its items (the Admin API does so): `items` is
    [{"item": ..., "error": ..., "message": ...}, ...], one per refused item."""

    def __init__(self, message: str, *, items: list[dict], **kwargs):
        super().__init__(message, **kwargs)
        self.items = items


class SkillBusy(CampaignLocked):
    """409 from the Admin API ("Invalid state"): the skill is starting or stopping; try again once it has."""


class InvalidState(CXoneError):
    """409 campaign.state: the campaign cannot be paused or resumed in its state (DRAFT, ERROR, FAILED); a read
    says which."""
