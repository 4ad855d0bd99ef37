"""The draft editor's small timeline through the test client: drawn with the page, redrawn by every live
validation from what the form holds, absent while the schedule has errors."""

import datetime as dt
import json

import pytest

from campaigns.models import TimedPause
from campaigns.services.reports import draft_timeline
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def timeline_of(response):
    text = response.content.decode()
    if 'id="draft-timeline-figure"' not in text:
        return None
    start = text.index('id="draft-timeline-figure"')
    return json.loads(text[text.index(">", start) + 1 : text.index("</script>", start)])


def rows(figure, name):
    return next(t for t in figure["data"] if t["name"] == name)


def test_the_editor_shows_the_draft_against_the_current_schedule_and_the_pools_overloads(
    as_planner, campaign, planner
):
    make_campaign("C-2", pool=campaign.pool, name="Renewals West", agents_required=18)
    draft = make_draft(
        campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480, agents_required=5
    )

    figure = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))

    assert len(rows(figure, "This draft")["base"]) == 4  # Tue 1 – Fri 4 Dec, from today's Chicago midnight
    assert len(rows(figure, "Current schedule")["base"]) == 4
    assert set(rows(figure, "Other campaigns in the pool")["y"]) == {"Renewals West"}
    overload = rows(figure, "Overload with the draft")
    assert len(overload["base"]) == 4 and "up to 23 agents needed, 20 available" in overload["hovertext"][0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "Time (America/Chicago)"
    rows_top_down = ["⚠ Pool over capacity", "This draft", "Current (in CXone)", "Renewals West"]
    assert figure["data"][0]["name"] == "rows" and figure["data"][0]["y"] == rows_top_down
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"  # the first row on top


def test_a_live_validation_redraws_it_from_the_typed_values(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    figure = timeline_of(validate(as_planner, draft, cron_expression="0 9 * * *"))

    assert len(rows(figure, "This draft")["base"]) == 6  # every day now: Tue 1 – Sun 6 Dec
    assert len(rows(figure, "Current schedule")["base"]) == 4


def test_while_the_schedule_has_errors_there_is_no_timeline(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    response = validate(as_planner, draft, cron_expression="0 25 * * *")

    assert timeline_of(response) is None


def test_a_campaign_without_a_pool_still_gets_its_draft_and_current_rows(as_planner, planner):
    campaign = make_campaign("C-7", pool=None)
    draft = make_draft(campaign, planner)

    figure = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))

    names = [t["name"] for t in figure["data"] if t["name"] != "rows"]
    assert names == ["This draft", "Current schedule"]


def test_a_current_schedule_the_engine_cannot_expand_leaves_its_row_empty(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    campaign.cron_expression = "0 25 * * *"  # what CXone holds is broken; the draft fixes it
    campaign.save()

    figure = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))

    assert [t["name"] for t in figure["data"] if t["name"] != "rows"] == ["This draft"]


def test_the_campaigns_approved_pause_is_drawn_over_the_draft_and_the_current_schedule(
    as_planner, campaign, planner, supervisor
):
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480)
    pause = TimedPause.objects.create(
        starts_at=dt.datetime(2026, 12, 2, 14, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
        reason="Team training", requested_by=planner, status=TimedPause.Status.APPROVED, reviewed_by=supervisor,
    )  # fmt: skip
    pause.campaigns.set([campaign])

    figure = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))

    band = rows(figure, "Paused (approved)")
    assert band["y"] == ["This draft", "Current (in CXone)"] and "Team training" in band["hovertext"][0]
    assert rows(figure, "Window held (does not dial)")["y"] == ["This draft", "Current (in CXone)"]
    assert len(rows(figure, "This draft")["base"]) == 3  # Tue, Thu, Fri dial; Wednesday is paused


# ---- kept for a minute while nothing it is drawn from changes ---------------------------------------------------


def test_the_same_timeline_is_drawn_once_and_handed_out_again(as_planner, campaign, planner, monkeypatch):
    draft = make_draft(campaign, planner)
    drawn = []
    real = draft_timeline._draw
    monkeypatch.setattr(draft_timeline, "_draw", lambda *a: drawn.append(1) or real(*a))

    first = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))
    second = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))

    assert len(drawn) == 1 and first == second


def test_another_pool_member_a_pause_or_a_typed_value_redraws_it_at_once(
    as_planner, campaign, planner, supervisor
):
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480)
    timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))  # drawn and kept

    make_campaign("C-2", pool=campaign.pool, name="Renewals West", agents_required=18)  # the index's key moves
    figure = timeline_of(as_planner.get(f"/drafts/{draft.pk}/"))
    assert set(rows(figure, "Other campaigns in the pool")["y"]) == {"Renewals West"}

    pause = TimedPause.objects.create(
        starts_at=dt.datetime(2026, 12, 2, 14, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
        reason="Team training", requested_by=planner, status=TimedPause.Status.APPROVED, reviewed_by=supervisor,
    )  # fmt: skip
    pause.campaigns.set([campaign])
    assert len(rows(timeline_of(as_planner.get(f"/drafts/{draft.pk}/")), "This draft")["base"]) == 3

    figure = timeline_of(validate(as_planner, draft, cron_expression="0 9 * * *"))
    assert len(rows(figure, "This draft")["base"]) == 5  # every day but the paused Wednesday


def test_a_kept_timeline_is_drawn_again_after_a_minute(as_planner, campaign, planner, monkeypatch):
    draft = make_draft(campaign, planner)
    drawn = []
    real = draft_timeline._draw
    monkeypatch.setattr(draft_timeline, "_draw", lambda *a: drawn.append(1) or real(*a))
    clock = [1000.0]
    monkeypatch.setattr(draft_timeline, "_clock", lambda: clock[0])
    as_planner.get(f"/drafts/{draft.pk}/")

    clock[0] += draft_timeline.KEPT_SECONDS
    as_planner.get(f"/drafts/{draft.pk}/")

    assert len(drawn) == 2
