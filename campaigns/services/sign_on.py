"""Signing on through the company's identity provider: who the person is here, and which roles their groups
grant them now. Roles follow the provider's groups at every sign-in, added and taken away alike, audited.

    roles_from_groups(groups, mapping)         {"planner", ...} from the provider's group names
    sign_on(issuer, subject, claims, roles)    the user (found by identity, by user name, or created), with
                                               exactly those roles; NoRole when none is granted

A person is found by (issuer, subject), which the provider never changes; on their first sign-in, an existing
user of the same user name is taken over (the directory is the authority on who is who: a local account made
before sign-on becomes theirs), else a user is created without a usable password. The roles are Django groups
(campaigns/roles.py); "admin" is staff and superuser (ARCHITECTURE.md: admin = Django admin, settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import roles
from campaigns.models import SignOnIdentity
from campaigns.services import audit

ADMIN = "admin"
GROUP_ROLES = (roles.PLANNER, roles.SUPERVISOR, roles.MANAGER)
ROLES = (*GROUP_ROLES, ADMIN)


class NoRole(Exception):
    """The provider knows the person, but none of their groups grants a role here: no sign-in."""

    def __init__(self, user):
        super().__init__(f"{user.get_username()}: none of their groups grants a role")
        self.user = user


def roles_from_groups(groups: Iterable[str], mapping: Mapping[str, Iterable[str]]) -> set[str]:
    held = set(groups)
    return {role for role, granting in mapping.items() if held.intersection(granting)}


def roles_of(user) -> set[str]:
    held = {g.name for g in user.groups.all() if g.name in GROUP_ROLES}
    return held | ({ADMIN} if user.is_staff and user.is_superuser else set())


def sign_on(*, issuer: str, subject: str, claims: Mapping, username: str, granted: set[str]):
    """The user `subject` of `issuer` signs in as, with exactly the `granted` roles; NoRole (after taking every
    role away) when `granted` is empty. `username` is what the provider calls them (for a first sign-in)."""
    now = timezone.now()
    with transaction.atomic():
        identity = SignOnIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
        if identity is None:
            user = _user_for_first_sign_in(username)
            try:
                with transaction.atomic():
                    identity = SignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
            except IntegrityError:  # a second tab's sign-in got there first
                identity = SignOnIdentity.objects.get(issuer=issuer, subject=subject)
        user = get_user_model().objects.select_for_update().get(pk=identity.user_id)
        _update_profile(user, claims)
        set_roles(user, granted)
        SignOnIdentity.objects.filter(pk=identity.pk).update(last_sign_in_at=now)
    if not granted:
        raise NoRole(user)
    return user


def _user_for_first_sign_in(username: str):
    users = get_user_model().objects
    name = (username or "").strip()[:150] or "user"
    found = users.filter(username=name).first()
    if found is not None and not SignOnIdentity.objects.filter(user=found).exists():
        return found
    candidate, n = name, 1
    while users.filter(username=candidate).exists():
        n += 1
        candidate = f"{name[:140]}-{n}"
    user = users.create_user(username=candidate)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _update_profile(user, claims: Mapping) -> None:
    values = {
        "email": str(claims.get("email") or "")[:254],
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
    }
    if not values["first_name"] and not values["last_name"] and claims.get("name"):
        values["first_name"] = str(claims["name"])[:150]
    changed = [field for field, value in values.items() if value and getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    if changed:
        user.save(update_fields=changed)


def set_roles(user, granted: set[str]) -> bool:
    """Give `user` exactly the `granted` roles (groups besides the roles are left alone); audited when that
    changes anything. True if it did."""
    before = roles_of(user)
    wanted = set(granted) & set(ROLES)
    if before == wanted:
        return False
    with transaction.atomic():
        groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_ROLES)}
        for role in GROUP_ROLES:
            if role in groups and role in wanted and role not in before:
                user.groups.add(groups[role])
            elif role in groups and role not in wanted and role in before:
                user.groups.remove(groups[role])
        admin = ADMIN in wanted
        if user.is_staff != admin or user.is_superuser != admin:
            user.is_staff = user.is_superuser = admin
            user.save(update_fields=["is_staff", "is_superuser"])
        audit.record(
            "campaigns.user.roles_changed",
            user,
            message="Roles from the identity provider's groups at sign-in",
            changes={"roles": [sorted(before), sorted(wanted)]},
        )
    return True
