"""The draft editor through the Django test client: starting, live validation, saving, concurrent saves,
submitting, stale drafts and rebase, withdrawing, read-only viewers, and escaping of CXone text."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from campaigns.forms import DraftForm
from campaigns.models import AuditEntry, CapacityPool, DraftStatus, ScheduleDraft
from campaigns.services import conflict_index, workflow
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db

S = DraftStatus
# A Monday before the fixtures' effective period (1 Dec 2026 → 1 Mar 2027), so the 14-day preview is stable.
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def frozen_clock():
    conflict_index.forget()
    with time_machine.travel(NOW, tick=True):
        yield
    conflict_index.forget()


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


def form_data(draft: ScheduleDraft, **overrides) -> dict:
    """What the editor's form posts for `draft` as saved, with some fields retyped (as strings, like a browser)."""
    data = {"lock_version": str(draft.lock_version)}
    for name, value in {**DraftForm.initial_from(draft), **overrides}.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"  # an unticked checkbox is simply absent
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def validate(client, draft, **overrides):
    return client.post(
        reverse("draft-validate", args=[draft.pk]), form_data(draft, **overrides), HTTP_HX_REQUEST="true"
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def edits(draft) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="scheduledraft", object_id=str(draft.pk), action="campaigns.draft.edited"
        )
    )


# ---- starting a draft --------------------------------------------------------------------------------------


def test_new_draft_on_the_campaign_page_opens_the_editor_with_the_current_schedule(
    as_planner, campaign, planner
):
    campaign.agents_required = 6
    campaign.retry_policy = {"maxAttempts": 4, "retryIntervalMs": 120000, "retryOnBusy": False}
    campaign.save()

    response = as_planner.post(reverse("draft-new", args=[campaign.pk]))

    draft = ScheduleDraft.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert response.url == reverse("draft-editor", args=[draft.pk])
    assert (draft.author, draft.status, draft.base_version) == (planner, S.DRAFT, campaign.remote_version)
    assert (draft.timezone, draft.cron_expression, draft.duration_minutes) == (
        "America/Chicago",
        "0 9 * * 1-5",
        480,
    )
    assert (draft.retry_max_attempts, draft.retry_interval_ms, draft.retry_on_busy) == (4, 120000, False)
    assert draft.agents_required == 6
    editor = as_planner.get(response.url)
    assert "Draft started from the current schedule" in text(editor)


def test_new_draft_when_one_is_open_leads_to_the_open_one(as_planner, campaign, other_planner):
    existing = make_draft(campaign, other_planner)

    response = as_planner.post(reverse("draft-new", args=[campaign.pk]), follow=True)

    assert response.redirect_chain == [(reverse("draft-editor", args=[existing.pk]), 302)]
    assert ScheduleDraft.objects.filter(campaign=campaign).count() == 1
    assert any("already has an open draft" in m for m in messages_of(response))


# ---- the editor --------------------------------------------------------------------------------------------


def test_the_editor_shows_the_saved_values_and_the_next_windows_in_local_time_and_utc(
    as_planner, campaign, planner
):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5", duration_minutes=360)

    response = as_planner.get(reverse("draft-editor", args=[draft.pk]))

    body = text(response)
    assert response.status_code == 200
    assert 'value="0 10 * * 1-5"' in body
    assert 'value="America/Chicago"' in body
    assert 'value="360"' in body
    assert 'value="2026-12-01"' in body  # effective from, as a local date in the draft's zone
    # Tuesday 1 December 2026, 10:00 in Chicago is 16:00 UTC; the window closes 16:00 CST = 22:00 UTC.
    assert "Tue 01 Dec 10:00 CST" in body
    assert "2026-12-01 16:00 UTC → 2026-12-01 22:00 UTC" in body
    for label in ("Cron expression", "Time zone", "Duration (minutes)", "Agents required"):
        assert f">{label}</label>" in body
    for button in ("Save draft", "Submit for approval"):
        assert f">{button}</button>" in body


# ---- live validation ---------------------------------------------------------------------------------------


def test_live_validation_of_an_invalid_cron_returns_only_the_partial_with_the_error_beside_the_field(
    as_planner, campaign, planner
):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5")

    response = validate(as_planner, draft, cron_expression="0 25 * * 1-5")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<form" not in body
    error = body.split('id="id_cron_expression_error"', 1)[1].split("</p>", 1)[0]
    assert 'hx-swap-oob="true"' in error
    assert "hour: 25 is outside 0-23" in error
    assert "Fix these first" in body
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.lock_version) == ("0 10 * * 1-5", 1)
    assert edits(draft) == []


def test_live_validation_clears_the_errors_of_fields_that_are_now_right(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    body = validate(as_planner, draft, cron_expression="0 11 * * 1-5").content.decode()

    error = body.split('id="id_cron_expression_error"', 1)[1].split("</p>", 1)[0]
    assert error.endswith(">")  # the out-of-band element is sent, empty, to clear an earlier message
    assert "Fix these first" not in body


def test_live_validation_suggests_the_zone_a_typo_meant(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    body = text(validate(as_planner, draft, timezone="America/Chicgo"))

    error = body.split('id="id_timezone_error"', 1)[1].split("</p>", 1)[0].split(">", 1)[1]
    assert error == "'America/Chicgo' is not an IANA time zone; did you mean America/Chicago?"
    assert ScheduleDraft.objects.get(pk=draft.pk).timezone == "America/Chicago"


def test_live_validation_of_a_late_window_shows_the_windows_and_the_calling_hours_finding(
    as_planner, pool, planner
):
    campaign = make_campaign(
        "C-FL", pool=pool, timezone="America/New_York", contact_list_breakdown=FLORIDA, contact_list_size=310
    )
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480)

    response = validate(as_planner, draft, cron_expression="30 19 * * 1-5", duration_minutes="60")

    body = text(response)
    assert response.status_code == 200
    assert "Tue 01 Dec 19:30 EST" in body and "2026-12-02 00:30 UTC" in body
    calling_hours = body.split("<h3>Calling hours</h3>", 1)[1].split("</div>", 1)[0]
    assert "US-FL (Florida Telephone Solicitation Act" in calling_hours
    assert "calls allowed 08:00–20:00" in calling_hours
    assert "310 contacts affected" in calling_hours
    assert "Cannot be submitted yet" in body
    assert ScheduleDraft.objects.get(pk=draft.pk).cron_expression == "0 9 * * 1-5"


def test_live_validation_shows_the_capacity_conflict_the_draft_adds(as_planner, planner):
    small = CapacityPool.objects.create(cxone_skill_id="S-SMALL", name="Small pool", agents=10)
    make_campaign(
        "C-MORNING",
        pool=small,
        cron_expression="0 9 * * 1-5",
        duration_minutes=180,
        agents_required=6,
        contact_list_id="L-1",
    )
    evening = make_campaign(
        "C-EVENING",
        pool=small,
        cron_expression="0 14 * * 1-5",
        duration_minutes=180,
        agents_required=6,
        contact_list_id="L-2",
    )
    draft = make_draft(
        evening, planner, cron_expression="0 14 * * 1-5", duration_minutes=180, agents_required=6
    )

    before = text(validate(as_planner, draft))
    assert "Adds no capacity overload" in before

    body = text(validate(as_planner, draft, cron_expression="0 10 * * 1-5"))

    added = body.split("Conflicts this draft adds or worsens", 1)[1].split("Conflicts this draft removes", 1)[
        0
    ]
    assert "Capacity of pool S-SMALL" in added
    assert "up to 12 agents needed, 10 available" in added
    assert "C-EVENING" in added and "C-MORNING" in added


# ---- saving ------------------------------------------------------------------------------------------------


def test_saving_valid_values_persists_them_bumps_the_lock_version_and_audits_the_edit(
    as_planner, campaign, planner
):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5", agents_required=5)

    response = as_planner.post(
        reverse("draft-editor", args=[draft.pk]),
        form_data(draft, cron_expression="30  8 * * 1-5", agents_required="7", retry_on_busy=False),
    )

    assert response.status_code == 302
    assert response.url == reverse("draft-editor", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.agents_required, draft.retry_on_busy) == ("30 8 * * 1-5", 7, False)
    assert draft.lock_version == 2
    [entry] = edits(draft)
    assert entry.actor == planner
    assert entry.changes["cron_expression"] == ["0 10 * * 1-5", "30 8 * * 1-5"]
    assert entry.changes["agents_required"] == [5, 7]
    assert "Draft saved." in text(as_planner.get(response.url))


def test_saving_invalid_values_keeps_what_was_typed_and_saves_nothing(as_planner, campaign, planner):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5", agents_required=5)

    response = as_planner.post(
        reverse("draft-editor", args=[draft.pk]),
        form_data(draft, cron_expression="0 25 * * 1-5", agents_required="8", timezone="America/Chicgo"),
    )

    body = text(response)
    assert response.status_code == 422
    assert 'value="0 25 * * 1-5"' in body
    assert 'value="8"' in body
    assert 'value="America/Chicgo"' in body
    assert "hour: 25 is outside 0-23" in body
    assert 'aria-invalid="true"' in body
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.agents_required, draft.timezone) == (
        "0 10 * * 1-5",
        5,
        "America/Chicago",
    )
    assert draft.lock_version == 1
    assert edits(draft) == []


def test_the_second_of_two_concurrent_saves_is_refused_with_both_versions_shown(
    client, campaign, planner, other_planner
):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5")
    seen = form_data(draft)  # both planners opened the editor at lock version 1
    client.force_login(other_planner)
    first = client.post(reverse("draft-editor", args=[draft.pk]), {**seen, "cron_expression": "0 11 * * 1-5"})
    assert first.status_code == 302
    client.force_login(planner)

    second = client.post(
        reverse("draft-editor", args=[draft.pk]), {**seen, "cron_expression": "0 12 * * 1-5"}
    )

    body = text(second)
    assert second.status_code == 409
    assert "Not saved: someone else saved this draft" in body
    conflict = body.split('id="conflict-h"', 1)[1].split("</section>", 1)[0]
    assert "<td>Cron expression</td><td>0 12 * * 1-5</td><td>0 11 * * 1-5</td>" in conflict
    assert "olive_planner saved this draft after you opened it. Nothing was overwritten" in conflict
    assert 'value="0 12 * * 1-5"' in body  # what they typed is still in the form
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.lock_version) == ("0 11 * * 1-5", 2)
    assert [e.actor for e in edits(draft)] == [other_planner]

    # Having compared, saving again (the page now carries the current lock version) replaces theirs.
    lock = body.split('name="lock_version" value="', 1)[1].split('"', 1)[0]
    assert lock == "2"
    again = client.post(
        reverse("draft-editor", args=[draft.pk]),
        {**seen, "cron_expression": "0 12 * * 1-5", "lock_version": lock},
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.lock_version) == ("0 12 * * 1-5", 3)


# ---- submitting --------------------------------------------------------------------------------------------


def test_submit_for_approval_saves_the_form_and_submits_it(as_planner, campaign, planner):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5")

    response = as_planner.post(
        reverse("draft-submit", args=[draft.pk]), form_data(draft, cron_expression="0 11 * * 1-5")
    )

    assert response.status_code == 302
    assert response.url == reverse("draft-editor", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.status, draft.cron_expression, draft.lock_version) == (S.SUBMITTED, "0 11 * * 1-5", 2)
    assert draft.submitted_at is not None
    assert draft.findings["blocking"] == []
    actions = AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    assert {"campaigns.draft.edited", "campaigns.draft.submitted"} <= set(actions)
    page = text(as_planner.get(response.url))
    assert "Submitted for approval" in page
    assert ">Withdraw</button>" in page


def test_a_draft_with_a_window_outside_calling_hours_cannot_be_submitted(as_planner, pool, planner):
    campaign = make_campaign("C-FL", pool=pool, timezone="America/New_York", contact_list_breakdown=FLORIDA)
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480)

    response = as_planner.post(
        reverse("draft-submit", args=[draft.pk]),
        form_data(draft, cron_expression="30 19 * * 1-5", duration_minutes="60"),
        follow=True,
    )

    # Back on the editor (a reload does not post the submission again), told what was kept and why.
    assert response.redirect_chain == [(reverse("draft-editor", args=[draft.pk]), 302)]
    [message] = [m for m in messages_of(response) if m.startswith("Saved as a draft, not submitted")]
    assert "before submitting" in message
    assert "FL" in message  # names the jurisdiction whose calling hours the window breaks
    # The typed values were saved (nothing is lost), but the draft stays a draft, and the page carries the
    # new lock version so the next save is not mistaken for a concurrent one.
    draft.refresh_from_db()
    assert (draft.status, draft.cron_expression, draft.lock_version) == (S.DRAFT, "30 19 * * 1-5", 2)
    body = text(response)
    assert 'value="30 19 * * 1-5"' in body
    assert '<input type="hidden" name="lock_version" value="2">' in body


def test_a_stale_draft_cannot_be_submitted_until_rebased_and_the_rebase_shows_what_changed(
    as_planner, campaign, planner
):
    draft = workflow.start_draft(campaign, planner, cron_expression="0 10 * * 1-5")
    campaign.remote_version += 1  # CXone's campaign changed after the draft was based on it
    campaign.duration_minutes = 300
    campaign.save()

    editor = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert "CXone changed this campaign" in editor
    assert ">Rebase</button>" in editor
    assert 'disabled title="Rebase first">Submit for approval' in editor

    refused = as_planner.post(reverse("draft-submit", args=[draft.pk]), form_data(draft), follow=True)
    assert refused.redirect_chain == [(reverse("draft-editor", args=[draft.pk]), 302)]
    assert any("changed in CXone" in m and "Rebase" in m for m in messages_of(refused))
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.DRAFT

    rebased = as_planner.post(reverse("draft-rebase", args=[draft.pk]))
    body = text(rebased)
    assert rebased.status_code == 200
    changes = body.split('id="rebase-h"', 1)[1].split("</section>", 1)[0]
    assert "version 7 → 8" in changes
    assert "<td>Duration (minutes)</td><td>8 h</td><td>5 h</td>" in changes
    assert "CXone changed this campaign" not in body
    draft.refresh_from_db()
    assert draft.base_version == 8

    submitted = as_planner.post(reverse("draft-submit", args=[draft.pk]), form_data(draft))
    assert submitted.status_code == 302
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_withdraw_puts_a_submitted_draft_back_to_draft(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version, findings={"blocking": []})

    response = as_planner.post(reverse("draft-withdraw", args=[draft.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("draft-editor", args=[draft.pk])
    assert "Withdrawn: the draft is editable again." in messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (S.DRAFT, None)
    assert ">Save draft</button>" in text(response)


# ---- who may change what -----------------------------------------------------------------------------------


def test_a_manager_sees_the_editor_read_only(client, campaign, planner, manager):
    draft = make_draft(campaign, planner)
    client.force_login(manager)

    body = text(client.get(reverse("draft-editor", args=[draft.pk])))

    assert body.count("<fieldset disabled>") == 2
    assert "<fieldset >" not in body and "<fieldset>" not in body
    for button in ("Save draft", "Submit for approval", "Withdraw", "Rebase"):
        assert f">{button}</button>" not in body
    assert "hx-post" not in body
    assert 'value="0 10 * * 1-5"' in body  # still shows the values


def test_a_submitted_draft_is_read_only_even_for_its_author(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version, findings={"blocking": []})

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    refused = as_planner.post(
        reverse("draft-editor", args=[draft.pk]),
        form_data(draft, cron_expression="0 11 * * 1-5"),
        follow=True,
    )

    assert "<fieldset disabled>" in body and ">Save draft</button>" not in body
    assert any("can no longer be edited" in m for m in messages_of(refused))
    assert ScheduleDraft.objects.get(pk=draft.pk).cron_expression == "0 10 * * 1-5"


# ---- text from CXone is escaped ----------------------------------------------------------------------------


def test_campaign_names_with_markup_are_escaped_on_every_page(client, pool, planner, supervisor):
    campaign = make_campaign("C-XSS", pool=pool, name=XSS)
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version, findings={"blocking": []})
    escaped = "&lt;img src=x onerror=alert(1)&gt;"

    client.force_login(planner)
    pages = {
        "editor": client.get(reverse("draft-editor", args=[draft.pk])),
        "campaign": client.get(reverse("campaign-detail", args=[campaign.pk])),
        "audit": client.get(reverse("audit")),
        "my drafts": client.get(reverse("my-drafts")),
        "campaign list": client.get(reverse("campaign-list")),
    }
    client.force_login(supervisor)
    pages["queue"] = client.get(reverse("approval-queue"))
    # The message after approving names the campaign too.
    seen = {"seen_lock_version": draft.lock_version}
    pages["approved message"] = client.post(reverse("draft-approve", args=[draft.pk]), seen, follow=True)

    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert XSS not in body, name
        assert escaped in body, name
    assert f"Approved the draft for {escaped}." in pages["approved message"].content.decode()
