"""The audit trail: one row per state change or edit, written inside the same transaction as the change."""

from __future__ import annotations

from campaigns.models import AuditEntry


def entry(action: str, obj, *, actor=None, campaign=None, message: str = "", changes: dict | None = None):
    """The audit row for `obj`, not yet saved (sync writes many at once with bulk_create). `action` is namespaced
    ("campaigns.draft.approved"); `changes` maps a field to [before, after] as JSON-friendly values."""
    if campaign is None:
        campaign = getattr(obj, "campaign", None)
        if campaign is None and obj.__class__.__name__ == "Campaign":
            campaign = obj
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        campaign=campaign,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        message=message,
        changes=changes or {},
    )


def record(action: str, obj, *, actor=None, campaign=None, message: str = "", changes: dict | None = None):
    """Write one audit entry now (see entry)."""
    row = entry(action, obj, actor=actor, campaign=campaign, message=message, changes=changes)
    row.save()
    return row


# What the Django admin did, in the trail beside what the product's services do.
ADMIN_ACTIONS = {
    "added": "admin.object.added",
    "changed": "admin.object.changed",
    "deleted": "admin.object.deleted",
}


def record_admin_change(kind: str, obj, *, actor, summary: str = "", changes: dict | None = None):
    """One add, change or delete made in the Django admin (`kind` is a key of ADMIN_ACTIONS), written inside the
    admin's own transaction. The message names the object, since it may be gone by the time anyone reads it."""
    meta = obj._meta
    name = str(meta.verbose_name)
    message = f"{name[:1].upper()}{name[1:]} “{obj}” ({meta.label_lower})"
    if summary:
        message += f": {summary}"
    row = entry(ADMIN_ACTIONS[kind], obj, actor=actor, message=message, changes=changes)
    row.object_id = row.object_id[:64]
    if kind == "deleted":
        # The entry must not point at the row being deleted (a campaign, the admin's own account): that would
        # protect it from the deletion it records.
        if row.campaign is obj:
            row.campaign = None
        if row.actor is not None and row.actor == obj:
            row.actor = None
            row.message += f" (by {obj} themselves)"
    row.save()
    return row
