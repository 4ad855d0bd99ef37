"""The campaign page: the current schedule in its zone and in UTC, next windows, compliance, the contact-list
breakdown, the drafts and their history; a campaign gone from CXone says so and offers no new draft; a campaign
changed in CXone shows the difference beside the version it is held to, and the answers."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from campaigns.services.drafts import workflow
from campaigns.services.history import answers
from tests.conftest import make_campaign, make_draft
from tests.history_support import found_in_cxone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

BREAKDOWN = [
    {"state": "FL", "timezones": ["America/New_York"], "count": 310},
    {"state": "TX", "timezones": ["America/Chicago", "America/Denver"], "count": 120},
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def section(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def page(client, campaign) -> str:
    response = client.get(reverse("campaign-detail", args=[campaign.pk]))
    assert response.status_code == 200
    return text(response)


def test_the_current_schedule_is_shown_in_the_campaigns_zone_and_in_utc(as_planner, campaign):
    current = section(page(as_planner, campaign), "current-h")

    assert "(CXone version 7)" in current
    assert "<td>America/Chicago</td>" in current
    assert "<code>0 9 * * 1-5</code>" in current
    assert "<td>8 h</td>" in current
    assert "2026-12-01 00:00 CST → 2027-03-01 00:00 CST" in current
    assert "2026-12-01 06:00 UTC → 2027-03-01 06:00 UTC" in current
    assert "3 attempts, every 1 min" in current
    assert "Renewals (20 agents)" in current


def test_the_next_windows_are_listed_in_local_time_and_utc(as_planner, campaign):
    windows = section(page(as_planner, campaign), "windows-h")

    assert "Next 8 of 10 windows in the next 14 days" in windows
    assert "Tue 01 Dec 09:00 CST" in windows and "Tue 01 Dec 17:00 CST" in windows
    assert "2026-12-01 15:00 UTC → 2026-12-01 23:00 UTC" in windows


def test_compliance_findings_name_the_rule_and_the_contacts_affected(as_planner, pool):
    late = make_campaign(
        "C-LATE",
        pool=pool,
        timezone="America/New_York",
        cron_expression="0 19 * * 1-5",
        duration_minutes=90,
        contact_list_breakdown=BREAKDOWN,
    )

    compliance = section(page(as_planner, late), "compliance-h")

    assert '<li class="finding error" data-rule="us-fl" data-severity="blocking">' in compliance
    assert "US-FL (Florida Telephone Solicitation Act" in compliance
    assert "310 contacts affected" in compliance
    assert "DNC rules and list are ready." in compliance


def test_a_compliant_campaign_says_every_window_is_inside_calling_hours(as_planner, campaign):
    compliance = section(page(as_planner, campaign), "compliance-h")

    assert "Every window is inside the calling hours of the contacts' zones." in compliance
    assert "finding error" not in compliance


def test_the_contact_list_breakdown_lists_each_state_and_the_total(as_planner, pool):
    campaign = make_campaign("C-BRK", pool=pool, contact_list_breakdown=BREAKDOWN)

    breakdown = section(page(as_planner, campaign), "breakdown-h")

    assert "Contact list Renewals Q4" in breakdown
    assert "<tr><td>FL</td><td>America/New_York</td><td>310</td></tr>" in breakdown
    assert "<tr><td>TX</td><td>America/Chicago, America/Denver</td><td>120</td></tr>" in breakdown
    assert '<th scope="row" colspan="2">Total</th><td>430</td>' in breakdown


def test_without_a_breakdown_the_page_says_where_the_contacts_are_is_unknown(as_planner, pool):
    campaign = make_campaign("C-UNREAD", pool=pool, contact_list_breakdown=[])
    shown = page(as_planner, campaign)
    assert "No breakdown from CXone: where the contacts are is unknown" in section(shown, "breakdown-h")
    assert "The contact list Renewals Q4 has no breakdown by state and zone" in section(shown, "compliance-h")


def test_the_drafts_of_the_campaign_and_its_history_are_listed(as_planner, campaign, planner, supervisor):
    rejected = make_draft(campaign, planner, cron_expression="0 12 * * 1-5")
    workflow.submit(rejected.pk, planner, lock_version=1)
    workflow.reject(rejected.pk, supervisor, seen_lock_version=1, reason="Too early for Texas.")
    current = workflow.start_draft(campaign, planner, cron_expression="0 11 * * 1-5")

    body = page(as_planner, campaign)

    drafts = section(body, "drafts-h")
    assert drafts.index(f"#{current.pk}") < drafts.index(f"#{rejected.pk}")  # newest first
    # Each schedule in words with its zone, the cron as secondary text.
    assert '<span class="in-words">Weekdays 11:00–19:00 CST</span>' in drafts
    assert '<span class="in-words">Weekdays 12:00–18:00 CST</span>' in drafts
    assert ">0 11 * * 1-5</code>" in drafts and ">0 12 * * 1-5</code>" in drafts
    assert ">Rejected</span></td><td>pat_planner</td><td>sam_supervisor</td>" in drafts
    assert ">Draft</span></td><td>pat_planner</td><td>—</td>" in drafts
    history = section(body, "audit-h")
    for action, label in (("created", "Draft started"), ("submitted", "Submitted for approval")):
        assert f'<span title="campaigns.draft.{action}">{label}</span>' in history
    assert (
        'sam_supervisor · <span title="campaigns.draft.rejected">Rejected</span> — Too early for Texas.'
        in history
    )
    assert "<code>campaigns.draft" not in history
    assert f'href="/audit/?campaign={campaign.pk}"' in history
    # With a draft open, the page leads to it instead of offering another.
    assert (
        f'<a class="button primary" href="{reverse("draft-editor", args=[current.pk])}">Open draft #' in body
    )
    assert ">New draft</button>" not in body


def test_a_planner_is_offered_a_new_draft_when_none_is_open(as_planner, campaign):
    body = page(as_planner, campaign)

    assert f'action="{reverse("draft-new", args=[campaign.pk])}"' in body
    assert ">New draft</button>" in body
    assert "No drafts yet — choose New draft to propose a change." in body


def test_a_manager_is_not_offered_a_new_draft(client, campaign, manager):
    client.force_login(manager)
    body = page(client, campaign)
    assert ">New draft</button>" not in body
    assert "No drafts yet." in body


def test_a_campaign_gone_from_cxone_says_so_and_offers_no_new_draft(as_planner, pool):
    gone = make_campaign("C-GONE", pool=pool, missing_since=dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC))

    body = page(as_planner, gone)

    assert (
        'Gone from CXone since <time datetime="2026-11-28T09:00:00+00:00" title="2026-11-28 09:00 UTC">'
        "2026-11-28 09:00 UTC</time>" in body
    )
    assert ">New draft</button>" not in body
    assert reverse("draft-new", args=[gone.pk]) not in body
    heading = body[body.index("<h1>") : body.index("</h1>")]
    assert ">Active<" not in heading  # CXone's last state is not its state now
    assert "Next windows" not in body and "no windows to check" in body
    # Posting anyway is refused with the reason, and starts nothing.
    response = as_planner.post(reverse("draft-new", args=[gone.pk]), follow=True)
    assert response.redirect_chain == [(reverse("campaign-detail", args=[gone.pk]), 302)]
    assert "is no longer in CXone (missing since 2026-11-28 09:00 UTC)" in text(response)
    assert not gone.drafts.exists()


def test_a_campaign_without_a_schedule_says_how_to_give_it_one(as_planner, pool):
    bare = make_campaign("C-BARE", pool=pool, cron_expression="", duration_minutes=None)

    body = page(as_planner, bare)

    assert "CXone reports no schedule for this campaign. Start a new draft to give it one." in body
    assert "No schedule to check." in body
    assert 'id="windows-h"' not in body


def test_a_campaign_changed_in_cxone_shows_the_difference_and_a_supervisor_both_answers(
    client, supervisor, campaign
):
    drift = found_in_cxone(campaign, ["schedule"], cron_expression="0 10 * * 1-5", duration_minutes=120)
    client.force_login(supervisor)

    finding = section(page(client, campaign), "drift-h")

    assert "⚠ Changed in CXone</span> Calling windows</h2>" in finding
    assert (
        "First seen <time" in finding
        and "Held to: As first mirrored from CXone · CXone version 7." in finding
    )
    assert '<th scope="col">Held to</th><th scope="col">In CXone now</th>' in finding
    assert "Weekdays 09:00–17:00 CST<br><code>0 9 * * 1-5</code></td>" in finding
    assert "Weekdays 10:00–12:00 CST<br><code>0 10 * * 1-5</code></td>" in finding
    assert f'action="{reverse("drift-keep", args=[drift.pk])}"' in finding
    assert f'<input type="hidden" name="seen" value="{drift.seen_id}">' in finding
    assert f'action="{reverse("drift-restore", args=[drift.pk])}"' in finding
    assert f'href="{reverse("campaign-history", args=[campaign.pk])}"' in finding


def test_a_planner_may_restore_but_reads_why_only_a_supervisor_keeps(as_planner, campaign):
    found_in_cxone(campaign, ["schedule"], cron_expression="0 10 * * 1-5")
    finding = section(page(as_planner, campaign), "drift-h")
    assert "Keep CXone's: Only a supervisor can keep CXone's version" in finding
    assert ">Restore approved</button>" in finding


def test_a_restore_under_way_is_shown_instead_of_the_answers(as_planner, campaign, planner):
    drift = found_in_cxone(campaign, ["schedule"], cron_expression="0 10 * * 1-5")
    draft = answers.restore_approved(drift.pk, planner)

    finding = section(page(as_planner, campaign), "drift-h")

    assert (
        f'Restore under way: <a href="{reverse("draft-editor", args=[draft.pk])}">draft #{draft.pk}</a> (draft)'
        in finding
    )
    assert ">Restore approved</button>" not in finding


def test_an_answered_change_leaves_no_finding_on_the_page(client, supervisor, campaign):
    drift = found_in_cxone(campaign, ["schedule"], cron_expression="0 10 * * 1-5")
    answers.keep_cxone(drift.pk, supervisor, seen_id=drift.seen_id)
    client.force_login(supervisor)
    assert 'id="drift-h"' not in page(client, campaign)
