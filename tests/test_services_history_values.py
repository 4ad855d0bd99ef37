"""What counts as a difference between the version a campaign is held to and what CXone runs: only what the
backend holds as the campaign's own settings, and only a change between dialling and not dialling."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.cxone.capabilities import ADMIN, OUTBOUND_V2
from campaigns.services.history import values

HELD = {
    "timezone": "America/Chicago",
    "cron_expression": "0 9 * * 1-5",
    "duration_minutes": 480,
    "effective_start": dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC),
    "effective_end": dt.datetime(2027, 3, 1, 6, tzinfo=dt.UTC),
    "retry_policy": {"maxAttempts": 3, "retryIntervalMs": 60000},
    "zones": ["America/Chicago"],
    "running": True,
    "remote_version": 7,
}


def seen(**changes) -> dict:
    return {**HELD, "remote_version": 8, **changes}


@pytest.mark.parametrize(
    ("change", "v2", "admin"),
    [
        ({"cron_expression": "0 10 * * 1-5"}, ["schedule"], ["schedule"]),
        ({"timezone": "America/Denver"}, ["schedule"], ["schedule"]),
        ({"effective_end": dt.datetime(2027, 6, 1, 6, tzinfo=dt.UTC)}, ["period"], []),  # made up under Admin
        ({"retry_policy": {"maxAttempts": 5, "retryIntervalMs": 60000}}, ["retry"], ["retry"]),
        ({"zones": ["America/Chicago", "America/Denver"]}, [], ["zones"]),  # v2: where the contacts live
        ({"running": False}, ["running"], ["running"]),
        ({"running": None}, [], []),  # DRAFT, ERROR, FAILED: neither dialling nor stopped
        ({}, [], []),  # only CXone's version moved
    ],
)
def test_only_what_the_backend_holds_counts(change, v2, admin):
    assert values.differences(HELD, seen(**change), OUTBOUND_V2) == v2
    assert values.differences(HELD, seen(**change), ADMIN) == admin


def test_what_our_controls_want_stands_in_for_the_held_running_state():
    stopped = seen(running=False)
    assert values.differences(HELD, stopped, OUTBOUND_V2, running_wanted=False) == []
    assert values.differences(HELD, seen(), OUTBOUND_V2, running_wanted=False) == ["running"]


def test_a_held_version_without_a_running_state_never_finds_one_changed():
    assert values.differences({**HELD, "running": None}, seen(running=False), OUTBOUND_V2) == []


def test_empty_values_compare_equal_whatever_empty_they_are():
    assert values.same({**HELD, "cron_expression": "", "duration_minutes": None}, seen(cron_expression=None,
                       duration_minutes=None), OUTBOUND_V2)  # fmt: skip


def test_a_versions_values_become_draft_fields_with_its_retry_policy_as_the_drafts():
    fields = values.draft_fields({**HELD, "retry_policy": {"maxAttempts": 4, "retryOnBusy": False}})
    assert fields["cron_expression"] == "0 9 * * 1-5" and fields["effective_end"] == HELD["effective_end"]
    assert (fields["retry_max_attempts"], fields["retry_on_busy"]) == (4, False)
    assert "retry_interval_ms" not in fields and "running" not in fields and "zones" not in fields


def test_running_is_active_and_not_running_is_paused():
    assert [values.running_of(s) for s in ("ACTIVE", "PAUSED", "DRAFT", "ERROR", "FAILED")] == [
        True, False, None, None, None,
    ]  # fmt: skip
    breakdown = [{"timezones": ["America/New_York", "America/Chicago"]}, {"timezones": ["America/Chicago"]}]
    assert values.zones_of(breakdown) == ["America/Chicago", "America/New_York"]
