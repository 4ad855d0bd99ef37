"""The catalogue of notifications: each kind, who is told, what tells it, and whether its mail is batched.

    kind               recipients                                    trigger
    draft_waiting      supervisors (not the author)                  a draft submitted (batched: ≤ 1 mail / 5 min)
    draft_approved     the author                                    a supervisor approved it
    draft_rejected     the author                                    a supervisor rejected it
    went_live          the author and the approver                   its activation became ACTIVE in CXone
    activation_failed  the author and the approver                   its activation failed
    activation_stale   the author and the approver                   CXone changed the campaign before the push
    dialling_stopped   supervisors and admins                        notify.dialling_stopped (dialling control)
    control_alarm      supervisors and admins                        notify.control_alarm (dialling control)
    webhook_dead       admins                                        a WFM delivery dead-lettered (batched)
    webhook_gone       admins                                        the WFM endpoint answered 410 Gone
    drift_found        the campaign's planners                       notify.drift_found (drift detection)

Whoever caused an event is never told of it (one's own doings are no news): a supervisor who approves is not
mailed their own approval, a planner who stops dialling is not told they did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaigns import roles
from campaigns.models import NotificationKind

K = NotificationKind
BATCH_WINDOW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str  # in the person's words, for their choices ("A draft waits for approval")
    who: str  # who is told, for the page and the README
    batched: bool  # mail at most once per BATCH_WINDOW, listing everything since the last one
    # Who may be told of it at all: the choices page offers a person only the kinds that can reach them.
    audience: tuple[str, ...]  # "reviewers", "editors", "admins"


def _kind(kind: NotificationKind, who: str, audience: tuple[str, ...], batched: bool = False) -> Kind:
    return Kind(kind.value, kind.label, who, batched, audience)


CATALOGUE: dict[str, Kind] = {
    k.kind: k
    for k in (
        _kind(K.DRAFT_WAITING, "supervisors", ("reviewers",), batched=True),
        _kind(K.DRAFT_APPROVED, "the draft's author", ("editors",)),
        _kind(K.DRAFT_REJECTED, "the draft's author", ("editors",)),
        _kind(K.WENT_LIVE, "the draft's author and approver", ("editors", "reviewers")),
        _kind(K.ACTIVATION_FAILED, "the draft's author and approver", ("editors", "reviewers")),
        _kind(K.ACTIVATION_STALE, "the draft's author and approver", ("editors", "reviewers")),
        _kind(K.DIALLING_STOPPED, "supervisors and admins", ("reviewers", "admins")),
        _kind(K.CONTROL_ALARM, "supervisors and admins", ("reviewers", "admins")),
        _kind(K.WEBHOOK_DEAD, "admins", ("admins",), batched=True),
        _kind(K.WEBHOOK_GONE, "admins", ("admins",)),
        _kind(K.DRIFT_FOUND, "the campaign's planners", ("editors",)),
    )
}


def kind(name: str) -> Kind:
    return CATALOGUE[name]


def audiences_of(user) -> set[str]:
    found = set()
    if user.has_perm(roles.REVIEW_DRAFTS):
        found.add("reviewers")
    if user.has_perm(roles.EDIT_DRAFTS):
        found.add("editors")
    if user.is_staff:
        found.add("admins")
    return found


def kinds_for(user) -> list[Kind]:
    """The kinds that can reach `user` (by their role), in catalogue order."""
    mine = audiences_of(user)
    return [k for k in CATALOGUE.values() if mine.intersection(k.audience)]
