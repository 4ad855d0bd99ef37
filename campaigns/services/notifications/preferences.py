"""A person's choices: which kinds reach them by mail, and the zone their mail's times are written in; and the
one-click unsubscribe link each mail carries (signed with SECRET_KEY, one kind per link, no expiry: a link in a
mail read months later must still work).

The page shows every notification whatever the choices: they only decide what is mailed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from campaigns.models import Notification, NotificationSettings
from campaigns.scheduling import canonical_zone, zone_error, zone_or_utc
from campaigns.services import audit
from campaigns.services.errors import InvalidInput
from campaigns.services.notifications.catalogue import CATALOGUE, kinds_for

SALT = "campaigns.notifications.unsubscribe"


class BadLink(Exception):
    """An unsubscribe link that was not made by us (or names a person or kind that is gone)."""


def settings_of(user) -> NotificationSettings:
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def mail_zone(user) -> ZoneInfo:
    """The zone `user`'s mail is written in (UTC until a sign-in or a choice says otherwise)."""
    found = NotificationSettings.objects.filter(user=user).values_list("zone", flat=True).first()
    return zone_or_utc(found or "")


def mail_choices(user) -> list[tuple[str, str, bool]]:
    """(kind, label, mailed?) for each kind that can reach `user`."""
    off = set(settings_of(user).mail_off)
    return [(k.kind, k.label, k.kind not in off) for k in kinds_for(user)]


def choose(user, *, mailed: set[str], zone: str | None) -> dict:
    """Keep `mailed` (among the kinds offered to `user`) on and the others off; write mail in `zone` ("" follows
    the browser at each sign-in). The changes made, audited."""
    offered = {k.kind for k in kinds_for(user)}
    if zone:
        error = zone_error(zone)
        if error:
            raise InvalidInput("zone", f"{error}.")
        zone = canonical_zone(zone)
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().get_or_create(user=user)[0]
        before_off, before_zone = sorted(row.mail_off), row.zone
        keep = {k for k in row.mail_off if k not in offered}
        row.mail_off = sorted(keep | (offered - set(mailed)))
        if zone is not None:
            row.zone, row.zone_chosen = (zone, True) if zone else (row.zone, False)
        row.save()
        changes = {}
        if before_off != row.mail_off:
            changes["mail_off"] = [before_off, row.mail_off]
        if before_zone != row.zone:
            changes["zone"] = [before_zone, row.zone]
        if changes:
            _stop_pending(user, set(row.mail_off))
            audit.record("campaigns.notifications.choices_changed", row, actor=user, changes=changes)
    return changes


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=False)


def read_token(token: str):
    """(user, kind) of a link we made; BadLink otherwise."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadLink("This link was not made by the planner, or it was changed on the way.") from exc
    kind = data.get("k") if isinstance(data, dict) else None
    user = get_user_model().objects.filter(pk=data.get("u") if isinstance(data, dict) else None).first()
    if kind not in CATALOGUE or user is None:
        raise BadLink("This link names a person or a kind of notification the planner does not know.")
    return user, kind


def unsubscribe(token: str, *, mailed: bool = False):
    """One click on a mail's link: no more mail of that kind (`mailed=True`: undo, mail it again). Returns
    (user, kind, changed)."""
    user, kind = read_token(token)
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().get_or_create(user=user)[0]
        before = sorted(row.mail_off)
        off = set(row.mail_off) - {kind} if mailed else set(row.mail_off) | {kind}
        row.mail_off = sorted(off)
        changed = before != row.mail_off
        if changed:
            row.save(update_fields=["mail_off", "updated_at"])
            _stop_pending(user, off)
            what = "resubscribed" if mailed else "unsubscribed"
            audit.record(f"campaigns.notifications.{what}", row, actor=user,
                         message=f"{CATALOGUE[kind].label}: {'mailed again' if mailed else 'no longer mailed'}",
                         changes={"mail_off": [before, row.mail_off]})  # fmt: skip
    return user, kind, changed


def remember_zone(user, name: str) -> bool:
    """The browser's zone at sign-in becomes the zone of the person's mail, unless they chose one."""
    if not name or zone_error(name):
        return False
    name = canonical_zone(name)
    row = settings_of(user)
    if row.zone_chosen or row.zone == name:
        return False
    return NotificationSettings.objects.filter(pk=row.pk, zone_chosen=False).update(zone=name) == 1


def _stop_pending(user, off: set[str]) -> None:
    """Notifications not yet in a mail of kinds now switched off are not mailed after all."""
    Notification.objects.filter(recipient=user, kind__in=off, mail=Notification.Mail.PENDING).update(
        mail=Notification.Mail.OFF, mail_due_at=None
    )
