"""The draft editor through the Django test client: starting a draft, the editor, live validation, saving, and
concurrent saves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from campaigns.models import CapacityPool, ScheduleDraft
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import FLORIDA, S, edits, form_data, messages_of, text, validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


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
    morning = make_campaign(
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
    # One sentence: the pool by its skill's name, how much, when mostly, with whom (by name, linked).
    assert "<strong>Adds 18 h of overload in pool Small pool, on Weekdays 10:00–12:00 CST</strong>" in added
    assert ": up to 12 agents needed, 10 available, with <a href=" in added
    assert f'<a href="/campaigns/{morning.pk}/">Campaign C-MORNING</a>.' in added
    assert "skill S-SMALL" in added  # the id, as secondary text
    assert "interval" not in added


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


def test_a_refused_save_keeps_the_version_the_page_showed_so_a_later_save_cannot_overwrite_silently(
    as_planner, campaign, planner, other_planner
):
    draft = make_draft(campaign, planner, agents_required=5)
    opened = form_data(draft)  # the planner's page, at lock version 1
    workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 9})

    invalid = as_planner.post(
        reverse("draft-editor", args=[draft.pk]), {**opened, "cron_expression": "0 25 * * *"}
    )
    assert invalid.status_code == 422
    assert '<input type="hidden" name="lock_version" value="1">' in text(invalid)

    fixed = as_planner.post(reverse("draft-editor", args=[draft.pk]), {**opened, "agents_required": "3"})
    assert fixed.status_code == 409
    assert ScheduleDraft.objects.get(pk=draft.pk).agents_required == 9  # the other planner's save stands


def test_a_manager_posting_to_the_editor_is_forbidden(client, campaign, planner, manager):
    draft = make_draft(campaign, planner)
    client.force_login(manager)
    response = client.post(reverse("draft-editor", args=[draft.pk]), form_data(draft, agents_required="8"))
    assert response.status_code == 403
    assert ScheduleDraft.objects.get(pk=draft.pk).agents_required == draft.agents_required


def test_saving_keeps_the_exact_stored_values_of_fields_the_planner_did_not_touch(
    as_planner, campaign, planner
):
    start = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)  # not a local midnight: as CXone sent it
    draft = make_draft(campaign, planner, effective_start=start, retry_interval_ms=90_500, agents_required=5)

    response = as_planner.post(
        reverse("draft-editor", args=[draft.pk]), form_data(draft, agents_required="6")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.agents_required, draft.effective_start, draft.retry_interval_ms) == (6, start, 90_500)


def test_a_new_time_zone_reads_the_effective_dates_in_that_zone(as_planner, campaign, planner):
    draft = make_draft(campaign, planner, timezone="America/Chicago")
    as_planner.post(reverse("draft-editor", args=[draft.pk]), form_data(draft, timezone="America/New_York"))
    draft.refresh_from_db()
    local_start = draft.effective_start.astimezone(ZoneInfo("America/New_York"))
    assert (local_start.hour, local_start.minute, local_start.date()) == (0, 0, dt.date(2026, 12, 1))


def test_the_editor_lists_the_dst_traps_of_the_whole_period_not_only_the_next_windows(
    as_planner, campaign, planner
):
    draft = make_draft(
        campaign, planner, cron_expression="30 2 * * *", duration_minutes=60,
        effective_end=dt.datetime(2027, 4, 1, 5, tzinfo=dt.UTC),
    )  # fmt: skip
    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert "<h3>Daylight saving time</h3>" in body
    assert "02:30 does not exist on 2027-03-14 in America/Chicago" in body
    assert (
        "Checked every window of the effective period from 2026-12-01 06:00 UTC to 2027-04-01 05:00 UTC"
        in body
    )


def test_live_validation_out_of_time_says_what_it_did_not_check_and_never_that_all_is_well(
    as_planner, campaign, planner, monkeypatch
):
    draft = make_draft(campaign, planner)
    monkeypatch.setattr(draft_checks, "BUDGET_SECONDS", 0)

    response = validate(as_planner, draft, cron_expression="* * * * *", duration_minutes="1")

    body = text(response)
    assert response.status_code == 200
    assert "not checked: calling hours cut short after 0 s" in body
    assert "Every window is inside the calling hours" not in body
    assert response.context["report"].blocking
