"""What a notification says, in words and in the reader's time zone: its headline, a line of detail, and the
page it links to. The notifications page and the mail say the same thing from the same facts.

Times read "Mon 30 Nov 2026, 18:05 CET (17:05 UTC)": the zone is always named, UTC beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse

from campaigns.models import NotificationKind

K = NotificationKind
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Said:
    headline: str
    detail: str  # a reason, an answer, a list; "" when the headline says it all
    link: str  # a path in the product
    link_words: str  # what the link opens ("Open draft #12")


def instant(iso: str | None) -> dt.datetime | None:
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def at_words(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    """'Mon 30 Nov 2026, 18:05 CET (17:05 UTC)'; in UTC only once."""
    if moment is None:
        return "at an unknown time"
    local = moment.astimezone(zone)
    said = f"{local:%a %-d %b %Y, %H:%M} {local.tzname()}"
    if local.utcoffset() == dt.timedelta(0) and local.tzname() == "UTC":
        return said
    return f"{said} ({moment.astimezone(UTC):%H:%M} UTC)"


def _draft(facts: dict) -> str:
    return f"draft #{facts.get('draft')} of {facts.get('campaign') or 'a campaign'}"


def _Draft(facts: dict) -> str:  # noqa: N802 (the same words at the start of a sentence)
    return f"Draft #{facts.get('draft')} of {facts.get('campaign') or 'a campaign'}"


def _draft_link(facts: dict) -> tuple[str, str]:
    return reverse("draft-editor", args=[facts["draft"]]), f"Open draft #{facts['draft']}"


def _latency(ms) -> str:
    if not isinstance(ms, int | float):
        return ""
    seconds = ms / 1000
    return f"{seconds:.0f} s after approval" if seconds < 120 else f"{seconds / 60:.0f} min after approval"


def _names(names: list, limit: int = 5) -> str:
    shown = ", ".join(str(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def say(kind: str, facts: dict, zone: ZoneInfo) -> Said:
    """The words of one notification for a reader in `zone`."""
    at = at_words(instant(facts.get("at")), zone)
    if kind == K.DRAFT_WAITING:
        link = reverse("approval-queue")
        return Said(f"{_Draft(facts)} waits for your approval", f"Submitted by {facts.get('author')}, "
                    f"{at}.", link, "Open the approval queue")  # fmt: skip
    if kind == K.DRAFT_APPROVED:
        return Said(f"{facts.get('actor')} approved {_draft(facts)}", f"Approved {at}; it goes to CXone now.",
                    *_draft_link(facts))  # fmt: skip
    if kind == K.DRAFT_REJECTED:
        return Said(f"{facts.get('actor')} rejected {_draft(facts)}",
                    f"Rejected {at}. Reason: “{facts.get('reason', '')}”. Revise it to write a better one.",
                    *_draft_link(facts))  # fmt: skip
    if kind == K.WENT_LIVE:
        latency = _latency(facts.get("latency_ms"))
        return Said(f"{_Draft(facts)} went live in CXone",
                    f"Live {at}{', ' + latency if latency else ''}.", *_draft_link(facts))  # fmt: skip
    if kind == K.ACTIVATION_FAILED:
        return Said(f"{_Draft(facts)} failed to go live",
                    f"Failed {at}: {facts.get('reason', '')} A supervisor can retry it on the Activations page; "
                    "its author can revise it.", *_draft_link(facts))  # fmt: skip
    if kind == K.ACTIVATION_STALE:
        return Said(f"{_Draft(facts)} went stale before going live",
                    f"Stale {at}: {facts.get('reason', '')} Revise it to start from CXone's current schedule.",
                    *_draft_link(facts))  # fmt: skip
    if kind == K.DIALLING_STOPPED:
        names = facts.get("campaigns") or []
        by = f" by {facts['actor']}" if facts.get("actor") else ""
        what = f"{len(names)} campaigns" if len(names) != 1 else "1 campaign"
        return Said(f"Dialling stopped on {what}{by}",
                    f"Stopped {at}: {_names(names)}. Reason: “{facts.get('reason', '')}”.",
                    facts.get("link") or reverse("campaign-list"), "Open the campaigns")  # fmt: skip
    if kind == K.CONTROL_ALARM:
        where = f" on {facts['campaign']}" if facts.get("campaign") else ""
        detail = f"Raised {at}." + (f" {facts['detail']}" if facts.get("detail") else "")
        link = facts.get("link") or _campaign_link(facts) or reverse("campaign-list")
        return Said(f"Control alarm{where}: {facts.get('what', '')}", detail, link, "Open it in the planner")
    if kind == K.WEBHOOK_DEAD:
        campaign = f" of {facts['campaign']}" if facts.get("campaign") else ""
        return Said(f"A WFM webhook was dead-lettered: {facts.get('event_type', '')}{campaign}",
                    f"Given up {at} after {facts.get('attempts')} attempts; last answer: "
                    f"{facts.get('last_answer') or 'none'}. Redeliver it on the Webhooks page once WFM is back.",
                    reverse("webhooks") + "?" + urlencode({"status": "dead"}),
                    "Open the dead-lettered webhooks")  # fmt: skip
    if kind == K.WEBHOOK_GONE:
        return Said(f"The WFM endpoint is gone: {facts.get('url', '')}",
                    f"It answered 410 Gone {at}; nothing more is sent to it until someone resumes it on the "
                    "Webhooks page.", reverse("webhooks"), "Open the Webhooks page")  # fmt: skip
    if kind == K.DRIFT_FOUND:
        differences = facts.get("differences") or []
        return Said(f"CXone's schedule of {facts.get('campaign', 'a campaign')} differs from the approved one",
                    f"Found {at}: " + "; ".join(str(d) for d in differences) + ".",
                    _campaign_link(facts) or reverse("campaign-list"), "Open the campaign")  # fmt: skip
    return Said(str(facts.get("what") or kind), at, reverse("notifications"), "Open your notifications")


def _campaign_link(facts: dict) -> str | None:
    pk = facts.get("campaign_id")
    return reverse("campaign-detail", args=[pk]) if pk else None


def at_of(facts: dict) -> dt.datetime | None:
    return instant(facts.get("at"))
