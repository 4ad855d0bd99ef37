"""Who is told: the people each kind of the catalogue goes to, as the database says now (active users only).

Roles are permissions held through groups (campaigns/roles.py), so "the supervisors" are whoever holds the
review permission, by group or by hand; a superuser is not counted as a supervisor unless they are one. Admins
are staff (ARCHITECTURE.md: admin = Django admin).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from campaigns import roles
from campaigns.models import ScheduleDraft


def _with_permission(perm: str):
    app_label, codename = perm.split(".", 1)
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)).distinct()


def supervisors() -> list:
    return list(_with_permission(roles.REVIEW_DRAFTS).order_by("pk"))


def admins() -> list:
    return list(get_user_model().objects.filter(is_active=True, is_staff=True).order_by("pk"))


def supervisors_and_admins() -> list:
    return unique([*supervisors(), *admins()])


def author_and_approver(draft: ScheduleDraft) -> list:
    return unique(u for u in (draft.author, draft.approver) if u is not None and u.is_active)


def campaign_planners(campaign) -> list:
    """The planners of a campaign: whoever wrote one of its drafts and may still edit drafts."""
    authors = ScheduleDraft.objects.filter(campaign=campaign).values("author_id")
    return list(_with_permission(roles.EDIT_DRAFTS).filter(pk__in=authors).order_by("pk"))


def unique(users: Iterable) -> list:
    seen, found = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            found.append(user)
    return found


def without(users: Iterable, actor) -> list:
    """Everyone but the one who caused the event."""
    actor_id = getattr(actor, "pk", None)
    return [u for u in users if u.pk != actor_id]
