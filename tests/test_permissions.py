"""The permission matrix: each role (and anonymous, and a user with no role) against each page and action."""

import pytest
from django.urls import reverse

from tests.conftest import make_draft
from tests.history_support import found_in_cxone

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "planner", "supervisor", "manager"]

# page name → expected status per role, in ROLES order. 302 for anonymous is the login redirect.
GET_MATRIX = {
    "campaign-list": [302, 403, 200, 200, 200],
    "campaign-detail": [302, 403, 200, 200, 200],
    "campaign-history": [302, 403, 200, 200, 200],
    "my-drafts": [302, 403, 200, 200, 403],
    "draft-editor": [302, 403, 200, 200, 200],
    "approval-queue": [302, 403, 403, 200, 403],
    "audit": [302, 403, 200, 200, 200],
    "timeline": [302, 403, 200, 200, 200],
    "capacity": [302, 403, 200, 200, 200],
    "dashboard": [302, 403, 403, 200, 200],
}

# action → expected status per role for a POST (302 = done and redirected; 403 = refused before any change).
POST_MATRIX = {
    "draft-new": [302, 403, 302, 302, 403],
    "draft-validate": [302, 403, 200, 200, 403],
    "draft-approve": [302, 403, 403, 302, 403],
    "draft-reject": [302, 403, 403, 302, 403],
    "draft-withdraw": [302, 403, 302, 302, 403],
    "draft-rebase": [302, 403, 302, 302, 403],
    "drift-keep": [302, 403, 403, 302, 403],
    "drift-restore": [302, 403, 302, 302, 403],
    "version-revise": [302, 403, 302, 302, 403],
}


@pytest.fixture
def login_as(client, request):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def objects(campaign, other_planner):
    drift = found_in_cxone(campaign, ["schedule"], cron_expression="0 10 * * 1-5")
    return {"campaign": campaign, "draft": make_draft(campaign, other_planner), "drift": drift}


def url_for(name, objects):
    if name in {"campaign-detail", "draft-new", "campaign-history"}:
        return reverse(name, args=[objects["campaign"].pk])
    if name.startswith("drift-"):
        return reverse(name, args=[objects["drift"].pk])
    if name == "version-revise":
        return reverse(name, args=[objects["drift"].reference_id])
    if name.startswith("draft-") or name == "draft-editor":
        return reverse(name, args=[objects["draft"].pk])
    return reverse(name)


@pytest.mark.parametrize("page", GET_MATRIX)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_sees_only_the_pages_it_may(login_as, objects, page, role_index, role):
    response = login_as(role).get(url_for(page, objects))
    assert response.status_code == GET_MATRIX[page][role_index], f"{role} on {page}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", POST_MATRIX)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_may_do_only_its_own_actions(login_as, objects, action, role_index, role):
    response = login_as(role).post(url_for(action, objects), {"reason": "x", "seen_lock_version": 1})
    assert response.status_code == POST_MATRIX[action][role_index], f"{role} on {action}"


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
    from django.test import Client

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
    from campaigns.models import AuditEntry, ScheduleDraft
    from campaigns.services.drafts import workflow
    from tests.draft_view_support import form_data

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
