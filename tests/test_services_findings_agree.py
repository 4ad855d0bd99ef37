"""One verdict everywhere: for random schedules, retry policies, purposes and contact lists, the campaign list's
badge, the editor's report, `schedule_check` and approval agree on what blocks and what only warns."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from campaigns.models import ScheduleDraft
from campaigns.scheduling.reports import schedule_check_report
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import campaign_findings, draft_checks
from campaigns.services.errors import BlockingFindings
from tests.conftest import make_campaign, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

ZONE = "America/New_York"
START = dt.date(2027, 1, 4)  # well after the frozen clock, and after every rule's start date
STATES = ["FL", "TX", "UT", "CT", "PA", "MD", "WA"]
PURPOSES = {"telemarketing": "telemarketing", "debt_collection": "debt-collection", "informational": "informational"}
_ids = itertools.count(1)

schedules = st.fixed_dictionaries(
    {
        "hour": st.sampled_from([7, 9, 10, 11, 12, 14, 19, 20]),
        "minute": st.sampled_from([0, 30]),
        "days": st.sampled_from(["1-5", "*", "0", "6", "1,3,5", "0,6"]),
        "duration": st.sampled_from([30, 60, 120, 240]),
        "period_days": st.integers(7, 21),
        "attempts": st.integers(1, 10),
        "interval_minutes": st.sampled_from([1, 60, 240, 479, 480, 1440]),
        "purpose": st.sampled_from(list(PURPOSES)),
        "states": st.lists(st.sampled_from(STATES), max_size=2, unique=True),
    }
)


def local_midnight(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(ZONE)).astimezone(dt.UTC)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=schedules)
# Texas before noon on a Sunday: a low-confidence rule, a warning only.
@example(schedule={"hour": 11, "minute": 0, "days": "0", "duration": 60, "period_days": 7, "attempts": 3,
                   "interval_minutes": 60, "purpose": "telemarketing", "states": ["TX"]})  # fmt: skip
# The draft: five calls a day to Florida contacts.
@example(schedule={"hour": 10, "minute": 0, "days": "1-5", "duration": 240, "period_days": 14, "attempts": 5,
                   "interval_minutes": 1, "purpose": "telemarketing", "states": ["FL"]})  # fmt: skip
def test_the_badge_the_editor_the_cli_and_approval_agree(schedule, pool, planner, supervisor):
    cron = f"{schedule['minute']} {schedule['hour']} * * {schedule['days']}"
    start, end = START, START + dt.timedelta(days=schedule["period_days"])
    breakdown = [{"state": state, "count": 10 + index} for index, state in enumerate(schedule["states"])]
    values = {
        "timezone": ZONE,
        "cron_expression": cron,
        "duration_minutes": schedule["duration"],
        "effective_start": local_midnight(start),
        "effective_end": local_midnight(end),
    }
    number = next(_ids)
    campaign = make_campaign(
        f"C-P{number}",
        pool=pool,
        contact_list_id=f"L-P{number}" if breakdown else "",  # no states: no contact list (the CLI's "US")
        contact_list_breakdown=breakdown,
        purpose=schedule["purpose"],
        retry_policy={"maxAttempts": schedule["attempts"], "retryIntervalMs": schedule["interval_minutes"] * 60_000},
        **values,
    )
    draft = make_draft(
        campaign,
        planner,
        **values,
        retry_max_attempts=schedule["attempts"],
        retry_interval_ms=schedule["interval_minutes"] * 60_000,
        purpose=schedule["purpose"],
        agents_required=2,  # something the checks do not judge differs from the campaign: it may be submitted
    )

    # The editor's report of the draft.
    report = draft_checks.evaluate_draft(draft)
    editor = {(f.rule, f.severity) for f in report.findings if f.kind in ("calling_hours", "frequency")}

    # The campaign list's badge of the same schedule as the campaign's current one.
    stored = campaign_findings.compute(campaign)
    badge = campaign_findings.badge(stored)
    assert badge["count"] == (len(report.blocking) if report.blocking else len(report.warnings))
    assert badge["level"] == ("blocking" if report.blocking else "warning" if report.findings else "clear")
    assert stored["level"] == badge["level"]
    assert set(badge["reasons"]) == {
        f"{'Error' if f.blocking else 'Warning'} — {f.title}: {f.message}" for f in report.findings
    }

    # schedule_check with the same schedule, contacts, policy and purpose.
    cli = schedule_check_report(
        cron=cron,
        tz=ZONE,
        duration=str(schedule["duration"]),
        start_day=start.isoformat(),
        days=str(schedule["period_days"]),
        jurisdictions=[f"US-{state}" for state in schedule["states"]],
        retry_minutes=str(schedule["interval_minutes"]),
        max_attempts=str(schedule["attempts"]),
        purpose=PURPOSES[schedule["purpose"]],
    )
    assert cli["valid"]
    assert {(f["rule"], f["severity"]) for f in cli["compliance"]["findings"]} == editor
    assert cli["compliance"]["ok"] is (not report.blocking)

    event("blocking" if report.blocking else "warnings only" if report.findings else "clear")
    event(f"kinds: {sorted({f.kind for f in report.findings})}")
    # Submission and approval: the services refuse exactly what the editor shows as an error.
    if report.blocking:
        with pytest.raises(BlockingFindings):
            workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
        # As if it had been submitted before a rule or the contact list changed: approval refuses it too.
        ScheduleDraft.objects.filter(pk=draft.pk).update(status="submitted")
        draft.refresh_from_db()
        refusal = workflow.approval_refusal(draft, supervisor, report=report)
        assert refusal and all(problem in refusal for problem in report.blocking)
        with pytest.raises(BlockingFindings):
            workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    else:
        submitted = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
        assert workflow.approval_refusal(submitted, supervisor, report=report) is None
        approved = workflow.approve(submitted.pk, supervisor, seen_lock_version=submitted.lock_version)
        assert approved.status == "approved"
    ScheduleDraft.objects.filter(pk=draft.pk).update(status="rejected")  # frees the campaign for no one else
