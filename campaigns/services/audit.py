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
