"""The permission matrix: each role (and anonymous, a user with no role, and an admin) against every page and action
of the URL conf, by GET and by POST; a test walks the URL conf so that a new page cannot go without its row. A
refused POST changes nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns.models import (
    Activation,
    AgentPool,
    AuditEntry,
    DiallingStop,
    DraftStatus,
    ScheduleDraft,
    TimedPause,
    WebhookDelivery,
)
from campaigns.services.blackouts import editing
from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import form_data
from tests.history_support import found_in_cxone

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "planner", "supervisor", "manager", "admin"]

# Every page and action of the URL conf → the status each role gets, in ROLES order, by (GET, POST). 302 for
# anonymous is the login redirect; 405 a method the page does not take; 403 refused before any change. A 302 for
# a signed-in user on a POST is done, or refused by the service with a message (the effect tests below check that
# nothing changed); 286 is htmx's "stop polling" for a finished activation.
MATRIX = {
    "login": ([200] * 6, [200] * 6),  # the form again: no password given
    "logout": ([405] * 6, [302] * 6),  # a POST only, signed in or not
    "metrics": ([403] * 6, [405] * 6),  # a token or an allowed address, not a role
    "healthz": ([200] * 6, [405] * 6),  # for load balancers: no login
    "home": ([302] * 6, [302] + [405] * 5),
    "campaign-list": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "campaign-detail": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "campaign-history": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "pools": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "pool-new": ([302, 403, 403, 200, 403, 200], [302, 403, 403, 400, 403, 400]),  # the form again: no name given
    "pool-edit": ([302, 403, 403, 200, 403, 200], [302, 403, 403, 400, 403, 400]),
    "pool-remove": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),  # refused: not the version shown
    "calendars": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "calendar-new": ([302, 403, 403, 200, 403, 200], [302, 403, 403, 400, 403, 400]),  # no name, no days
    "calendar-preview": ([302] + [405] * 5, [302, 403, 403, 200, 403, 200]),  # htmx: what the days would be
    "calendar-detail": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "calendar-edit": ([302, 403, 403, 200, 403, 200], [302, 403, 403, 400, 403, 400]),  # no days given
    "calendar-attach": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "calendar-revision-submit": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),  # refused: not the author
    "calendar-revision-withdraw": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),  # refused: not the author
    "calendar-revision-discard": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),  # refused: not the author
    "calendar-revision-approve": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "calendar-revision-reject": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "drift-keep": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "drift-restore": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "version-revise": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "draft-new": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "my-drafts": ([302, 403, 200, 200, 403, 200], [302] + [405] * 5),
    "draft-editor": ([302, 403, 200, 200, 200, 200], [302, 403, 302, 302, 403, 302]),
    "draft-validate": ([302] + [405] * 5, [302, 403, 200, 200, 403, 200]),
    "draft-submit": ([302] + [405] * 5, [302, 403, 422, 422, 403, 422]),
    "draft-withdraw": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "draft-rebase": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "draft-revise": ([302] + [405] * 5, [302, 403, 302, 302, 403, 302]),
    "approval-queue": ([302, 403, 403, 200, 403, 200], [302] + [405] * 5),
    "draft-approve": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "draft-reject": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "activation-list": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "activation-step": ([302, 403, 286, 286, 286, 286], [302] + [405] * 5),
    "activation-retry": ([302] + [405] * 5, [302, 403, 403, 302, 403, 302]),
    "audit": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "audit-csv": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "notification-dismiss": ([302] + [405] * 5, [302] * 6),  # one's own view of one's notices only
    "webhooks": ([302, 403, 403, 200, 200, 200], [302] + [405] * 5),
    "webhook-redeliver": ([302] + [405] * 5, [302, 403, 403, 302, 302, 302]),  # a manager is told why not
    "webhook-endpoint-resume": ([302] + [405] * 5, [302, 403, 403, 302, 302, 302]),
    "timeline": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "capacity": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "dashboard": ([302, 403, 403, 200, 200, 200], [302] + [405] * 5),
    "admin-login": ([200] * 5 + [302], [200] * 6),  # an admin already signed in goes on to the admin
    "notifications": ([302] + [200] * 5, [302] + [405] * 5),
    "notification-read": ([302] + [405] * 5, [302] * 6),  # someone else's (or no) notification: nothing marked
    "notifications-read": ([302] + [405] * 5, [302] * 6),
    "notification-choices": ([302] + [405] * 5, [302] * 6),
    "notification-unsubscribe": ([400] * 6, [400] * 6),  # a link that is not ours
    "dialling": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "dialling-stop-new": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),  # refused, or no selection given
    "dialling-stop": ([302, 403, 200, 200, 200, 200], [302] + [405] * 5),
    "dialling-stop-rows": ([302, 403, 286, 286, 286, 286], [302] + [405] * 5),  # nothing left to watch
    "dialling-resume-ask": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),
    "dialling-resume-withdraw": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),  # none asked: refused
    "dialling-resume-agree": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),  # none asked: refused
    "dialling-pause-new": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),  # refused, or no times given
    "dialling-pause-approve": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),
    "dialling-pause-reject": ([302] + [405] * 5, [302, 403, 302, 302, 302, 302]),
    "oidc_authentication_init": ([302] * 6, [405] * 6),  # sign-on not configured here: back to the login page
    "oidc_authentication_callback": ([302] * 6, [405] * 6),
}
# Who may change things through POST (beyond their own notices and the login form): the rest change nothing.
MAY_CHANGE = {
    "draft-new": {"planner", "supervisor", "admin"},
    "draft-revise": {"planner", "supervisor", "admin"},
    "draft-approve": {"supervisor", "admin"},
    "draft-reject": {"supervisor", "admin"},
    "activation-retry": {"supervisor", "admin"},
    "webhook-redeliver": {"supervisor", "admin"},
    "notification-dismiss": {"outsider", "planner", "supervisor", "manager", "admin"},
    "drift-keep": {"supervisor", "admin"},
    "pool-remove": {"supervisor", "admin"},
    "calendar-attach": {"supervisor", "admin"},
    "calendar-revision-approve": {"supervisor", "admin"},
    "calendar-revision-reject": {"supervisor", "admin"},
    "drift-restore": {"planner", "supervisor", "admin"},
    "version-revise": {"planner", "supervisor", "admin"},
    "notifications-read": {"outsider", "planner", "supervisor", "manager", "admin"},
    "notification-choices": {"outsider", "planner", "supervisor", "manager", "admin"},
    "logout": set(),
    "dialling-resume-ask": {"supervisor", "admin"},
    "dialling-pause-approve": {"supervisor", "admin"},
    "dialling-pause-reject": {"supervisor", "admin"},
}


def url_names() -> set[str]:
    """Every named page of the URL conf outside the admin (which has its own matrix below)."""
    names = set()
    patterns = list(get_resolver().url_patterns)
    while patterns:
        pattern = patterns.pop()
        if isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
        elif isinstance(pattern, URLResolver) and pattern.namespace != "admin":
            patterns.extend(pattern.url_patterns)
    return names


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("ada_admin", "ada@example.test", "pw")


@pytest.fixture
def login_as(client, request):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def objects(campaign, other_planner, other_supervisor):
    """A submitted draft (another planner's), a failed activation, a dead webhook delivery, an audit entry, a
    blackout calendar with a revision another supervisor submitted."""
    revision = editing.create_calendar(other_supervisor, "Closures", "", "2026-12-24: Eve")
    revision = editing.submit(revision.pk, other_supervisor)
    draft = make_draft(campaign, other_planner)
    draft = workflow.submit(draft.pk, other_planner, lock_version=draft.lock_version)
    elsewhere = make_campaign("C-2002", name="Win-back")
    failed = Activation.objects.create(
        draft=make_draft(elsewhere, other_planner, status=DraftStatus.FAILED),
        campaign=elsewhere,
        step=Activation.Step.FAILED,
        approved_at=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
        base_version=elsewhere.remote_version,
    )
    pool = AgentPool.objects.create(name="Shared callers", agents=12)
    changed = make_campaign("C-3003", name="Changed elsewhere")
    drift = found_in_cxone(changed, ["schedule"], cron_expression="0 10 * * 1-5")
    dead = WebhookDelivery.objects.create(
        event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={}, status=WebhookDelivery.Status.DEAD
    )
    stop = DiallingStop.objects.create(reason="Carrier incident", selection={"all": True})
    pause = TimedPause.objects.create(
        starts_at=dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC), ends_at=dt.datetime(2030, 1, 1, 17, tzinfo=dt.UTC),
        reason="Training day", requested_by=other_planner,
    )  # fmt: skip
    pause.campaigns.set([campaign])
    return {
        "campaign": campaign, "draft": draft, "activation": failed, "delivery": dead, "drift": drift, "pool": pool,
        "entry": AuditEntry.objects.latest("id"), "revision": revision, "calendar": revision.calendar,
        "stop": stop, "pause": pause,
    }  # fmt: skip


def url_for(name, objects):
    args = {
        "campaign-detail": "campaign", "draft-new": "campaign", "activation-step": "activation",
        "activation-retry": "activation", "webhook-redeliver": "delivery", "notification-dismiss": "entry",
    }  # fmt: skip
    if name in args:
        return reverse(name, args=[objects[args[name]].pk])
    if name in {"pool-edit", "pool-remove"}:
        return reverse(name, args=[objects["pool"].pk])
    if name.startswith("calendar-revision-"):
        return reverse(name, args=[objects["revision"].pk])
    if name in {"calendar-detail", "calendar-edit", "calendar-attach"}:
        return reverse(name, args=[objects["calendar"].pk])
    if name == "campaign-history":
        return reverse(name, args=[objects["campaign"].pk])
    if name.startswith("drift-"):
        return reverse(name, args=[objects["drift"].pk])
    if name == "version-revise":
        return reverse(name, args=[objects["drift"].reference_id])
    if name in {"dialling-stop", "dialling-stop-rows"} or name.startswith("dialling-resume"):
        return reverse(name, args=[objects["stop"].pk])
    if name in {"dialling-pause-approve", "dialling-pause-reject"}:
        return reverse(name, args=[objects["pause"].pk])
    if name == "notification-read":
        return reverse(name, args=[999999])
    if name == "notification-unsubscribe":
        return reverse(name, args=["not-a-link-of-ours"])
    if name.startswith("draft-"):
        return reverse(name, args=[objects["draft"].pk])
    return reverse(name)


def state(objects) -> tuple:
    draft = ScheduleDraft.objects.get(pk=objects["draft"].pk)
    return (
        AuditEntry.objects.count(),
        ScheduleDraft.objects.count(),
        (draft.status, draft.lock_version),
        Activation.objects.count(),
        WebhookDelivery.objects.get(pk=objects["delivery"].pk).status,
    )


def test_every_page_of_the_url_conf_has_a_row_in_the_matrix():
    assert url_names() == set(MATRIX)


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_only_the_pages_it_may(login_as, objects, name, role_index, role):
    response = login_as(role).get(url_for(name, objects))
    assert response.status_code == MATRIX[name][0][role_index], f"GET {name} as {role}"
    if role == "anonymous" and response.status_code == 302 and name != "logout":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_may_do_only_its_own_actions_and_a_refusal_changes_nothing(
    login_as, objects, name, role_index, role
):
    before = state(objects)
    response = login_as(role).post(url_for(name, objects), {"reason": "x", "seen_lock_version": 1})
    assert response.status_code == MATRIX[name][1][role_index], f"POST {name} as {role}"
    if role not in MAY_CHANGE.get(name, set()):
        assert state(objects) == before, f"POST {name} as {role} changed something"


@pytest.mark.parametrize("page", ["admin:index", "admin:campaigns_campaign_changelist", "admin:auth_user_changelist"])
@pytest.mark.parametrize("role", ROLES)
def test_only_an_admin_opens_the_admin(login_as, page, role):
    response = login_as(role).get(reverse(page))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith((reverse("admin:login"), reverse("login")))


@pytest.mark.parametrize("role", ["planner", "supervisor", "manager"])
def test_the_landing_page_sends_each_role_to_its_work(login_as, role):
    expected = {"planner": "campaign-list", "supervisor": "approval-queue", "manager": "dashboard"}[role]
    response = login_as(role).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(expected)


def test_the_navigation_offers_only_what_the_role_may_do(login_as):
    page = login_as("manager").get(reverse("campaign-list")).content.decode()
    assert "Approval queue" not in page
    assert "My drafts" not in page
    assert "Audit" in page


def test_a_supervisor_sees_the_queue_in_the_navigation(login_as):
    page = login_as("supervisor").get(reverse("campaign-list")).content.decode()
    assert "Approval queue" in page


def test_posts_without_a_csrf_token_are_refused(planner, objects):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(planner)
    response = strict.post(reverse("draft-new", args=[objects["campaign"].pk]))
    assert response.status_code == 403


def test_the_login_page_is_public(client):
    assert client.get(reverse("login")).status_code == 200


# What each attempt did, not only how it answered: the draft's status and the audit trail after the POST.
EFFECTS = {  # action → (the draft's status before, the actor who may → the status after)
    "draft-submit": ("draft", {"other_planner": "submitted"}),
    "draft-withdraw": ("submitted", {"other_planner": "draft"}),
    "draft-approve": ("submitted", {"supervisor": "approved"}),
    "draft-reject": ("submitted", {"supervisor": "rejected"}),
}
AUDITED_AS = {
    "draft-submit": "campaigns.draft.submitted",
    "draft-withdraw": "campaigns.draft.withdrawn",
    "draft-approve": "campaigns.draft.approved",
    "draft-reject": "campaigns.draft.rejected",
}


@pytest.mark.parametrize("action", EFFECTS)
@pytest.mark.parametrize(
    "actor", ["anonymous", "outsider", "planner", "other_planner", "supervisor", "manager"]
)
def test_only_the_allowed_actor_changes_the_draft_and_the_audit_says_who(
    login_as, request, campaign, other_planner, action, actor
):
    before, allowed = EFFECTS[action]
    draft = make_draft(campaign, other_planner)
    if before == "submitted":
        draft = workflow.submit(draft.pk, other_planner, lock_version=draft.lock_version)
    data = {**form_data(draft), "seen_lock_version": draft.lock_version, "reason": "Start at ten."}
    login_as(actor).post(reverse(action, args=[draft.pk]), data)

    draft.refresh_from_db()
    entries = AuditEntry.objects.filter(object_id=str(draft.pk), action=AUDITED_AS[action])
    if actor in allowed:
        assert draft.status == allowed[actor]
        assert [entry.actor for entry in entries] == [request.getfixturevalue(actor)]
    else:
        assert draft.status == before, f"{actor} changed the draft with {action}"
        assert not entries.exists()
        assert ScheduleDraft.objects.get(pk=draft.pk).lock_version == draft.lock_version
