"""Shared test fixtures: one user per role (and an outsider with none), and small factories for the model."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType

from campaigns import roles
from campaigns.models import Campaign, CapacityPool, ScheduleDraft
from campaigns.services.blackouts import editing as calendar_editing
from campaigns.services.drafts.checks import conflict_index, kept_reviews
from campaigns.services.drafts.workflow import schedule_snapshot
from campaigns.services.reports import dashboards as report_dashboards
from campaigns.services.reports import draft_timeline
from campaigns.views import common as view_common

PASSWORD = "correct-horse-battery"
# A Monday just before the factories' effective period (1 Dec 2026 → 1 Mar 2027): with the clock here, the
# pages' 14-day previews hold the same windows whenever the suite runs.
MONDAY_BEFORE_DECEMBER = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def make_user(username: str, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.test")
    if role:
        if not Group.objects.filter(name=role).exists():
            # A transactional test before this one flushed the rows the roles migration made (and the content
            # types the cache still remembers).
            ContentType.objects.clear_cache()
            create_permissions(apps.get_app_config("campaigns"), verbosity=0)
            roles.install_roles(Group, Permission)
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def planner(db):
    return make_user("pat_planner", roles.PLANNER)


@pytest.fixture
def other_planner(db):
    return make_user("olive_planner", roles.PLANNER)


@pytest.fixture
def supervisor(db):
    return make_user("sam_supervisor", roles.SUPERVISOR)


@pytest.fixture
def other_supervisor(db):
    return make_user("sue_supervisor", roles.SUPERVISOR)


@pytest.fixture
def manager(db):
    return make_user("max_manager", roles.MANAGER)


@pytest.fixture
def outsider(db):
    return make_user("oscar_outsider")


@pytest.fixture(autouse=True)
def fresh_mirrors():
    """Each test expands its own mirror, reads its own filter menus, reviews its own drafts and draws its own
    editor timelines: two tests' campaigns can share the fingerprint the kept mirrors go by (and the keys of the
    kept reviews and timelines), and the menus are kept for a minute."""
    report_dashboards.forget_mirrors()
    view_common.forget_options()
    kept_reviews.forget()
    draft_timeline.forget()
    yield
    report_dashboards.forget_mirrors()
    view_common.forget_options()


@pytest.fixture
def frozen_clock():
    """The clock stopped at MONDAY_BEFORE_DECEMBER (move it with .shift), and a conflict index built for it."""
    conflict_index.forget()
    with time_machine.travel(MONDAY_BEFORE_DECEMBER, tick=False) as traveller:
        yield traveller
    conflict_index.forget()


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


@pytest.fixture
def pool(db):
    return CapacityPool.objects.create(cxone_skill_id="S-10", name="Renewals", agents=20)


def make_campaign(cxone_id: str = "C-1001", pool: CapacityPool | None = None, **fields) -> Campaign:
    values = {
        "name": f"Campaign {cxone_id}",
        "state": Campaign.State.ACTIVE,
        "remote_version": 7,
        "pool": pool,
        "timezone": "America/Chicago",
        "cron_expression": "0 9 * * 1-5",
        "duration_minutes": 480,
        "effective_start": dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC),
        "effective_end": dt.datetime(2027, 3, 1, 6, tzinfo=dt.UTC),
        "contact_list_id": "L-77",
        "contact_list_name": "Renewals Q4",
        # Read from CXone: where the contacts are (Illinois has no rule of its own beyond the federal one).
        "contact_list_size": 500,
        "contact_list_breakdown": [{"state": "IL", "timezones": ["America/Chicago"], "count": 500}],
        "dnc_list_id": "D-5",
        "dnc_list_state": "ACTIVE",
        "dnc_rules": [
            {"type": "FCC_MIN_TIME", "value": "08:00"},
            {"type": "FCC_MAX_TIME", "value": "21:00"},
            {"type": "STATE_DNC"},
        ],
        "retry_policy": {
            "maxAttempts": 3,
            "retryIntervalMs": 60000,
            "retryOnBusy": True,
            "retryOnNoAnswer": True,
        },
    }
    values.update(fields)
    return Campaign.objects.create(cxone_id=cxone_id, **values)


def make_draft(campaign: Campaign, author: User, **fields) -> ScheduleDraft:
    values = {
        "timezone": campaign.timezone or "America/Chicago",
        "cron_expression": "0 10 * * 1-5",
        "duration_minutes": 360,
        "effective_start": campaign.effective_start or dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC),
        "effective_end": campaign.effective_end or dt.datetime(2027, 3, 1, 6, tzinfo=dt.UTC),
        "base_version": campaign.remote_version,
        "base_snapshot": schedule_snapshot(campaign),
        "agents_required": 5,
    }
    values.update(fields)
    return ScheduleDraft.objects.create(campaign=campaign, author=author, **values)


@pytest.fixture
def campaign(pool):
    return make_campaign(pool=pool)


def attach_approved(calendar_id: int, author: User, approver: User, *, campaigns=(), pools=()):
    """Where a blackout calendar applies, as it comes into force: proposed by one supervisor, approved by another."""
    revision = calendar_editing.propose_attachments(
        calendar_id, author, campaigns=[c.pk for c in campaigns], pools=[p.pk for p in pools]
    )
    calendar_editing.submit(revision.pk, author)
    return calendar_editing.approve(revision.pk, approver)


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last. Playwright's sync API keeps an event loop running in the main thread for the
    whole session once a browser starts, and the CXone client's tests need to start loops of their own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's heartbeat cache folder (planner/settings_test.py names it after the process)."""
    import shutil

    from django.conf import settings

    location = settings.CACHES.get("cluster", {}).get("LOCATION", "")
    if ".cluster-cache-test-" in location:
        shutil.rmtree(location, ignore_errors=True)
