"""services/sign_on.py: who a person signing on is here, and their roles exactly as their groups grant them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from campaigns.models import AuditEntry, SignOnIdentity
from campaigns.services.sign_on import NoRole, roles_from_groups, sign_on
from tests.conftest import make_user

ISSUER = "https://id.example.test/"
MAPPING = {"planner": ("cc-planners", "cc-leads"), "supervisor": ("cc-sup",), "admin": ("cc-admins",)}


def test_groups_grant_the_roles_they_are_mapped_to():
    assert roles_from_groups(["cc-leads", "other"], MAPPING) == {"planner"}
    assert roles_from_groups(["cc-sup", "cc-admins"], MAPPING) == {"supervisor", "admin"}
    assert roles_from_groups([], MAPPING) == set()


def test_a_first_sign_on_creates_a_user_without_a_password(db):
    user = sign_on(issuer=ISSUER, subject="s-1", claims={"email": "ada@x.test", "name": "Ada"}, username="ada",
                   granted={"planner"})  # fmt: skip
    assert user.username == "ada" and user.email == "ada@x.test" and not user.has_usable_password()
    assert SignOnIdentity.objects.get(issuer=ISSUER, subject="s-1").user == user


def test_a_local_account_of_the_same_name_is_taken_over_once(db):
    local = make_user("pat", "planner")
    user = sign_on(issuer=ISSUER, subject="s-1", claims={}, username="pat", granted={"supervisor"})
    assert user.pk == local.pk
    assert {g.name for g in user.groups.all()} == {"supervisor"}
    other = sign_on(issuer=ISSUER, subject="s-2", claims={}, username="pat", granted={"planner"})
    assert other.pk != local.pk and other.username == "pat-2"  # a second person called pat elsewhere


def test_the_same_identity_is_the_same_user_whatever_its_name_becomes(db):
    first = sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted={"planner"})
    again = sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada.lovelace", granted={"planner"})
    assert again.pk == first.pk


def test_roles_follow_the_groups_exactly_other_groups_stay_and_changes_are_audited(db):
    user = sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted={"planner", "admin"})
    assert user.is_staff and user.is_superuser
    user.groups.add(Group.objects.create(name="night-shift"))
    user = sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted={"supervisor"})
    user = User.objects.get(pk=user.pk)
    assert {g.name for g in user.groups.all()} == {"supervisor", "night-shift"}
    assert not user.is_staff and not user.is_superuser
    changes = [e.changes["roles"] for e in AuditEntry.objects.filter(action="campaigns.user.roles_changed")
               .order_by("pk")]  # fmt: skip
    assert changes == [[[], ["admin", "planner"]], [["admin", "planner"], ["supervisor"]]]
    sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted={"supervisor"})
    assert AuditEntry.objects.filter(action="campaigns.user.roles_changed").count() == 2  # nothing changed


def test_no_role_takes_every_role_away_and_refuses(db):
    sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted={"planner"})
    with pytest.raises(NoRole):
        sign_on(issuer=ISSUER, subject="s-1", claims={}, username="ada", granted=set())
    assert not User.objects.get(username="ada").groups.exists()
