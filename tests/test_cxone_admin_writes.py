"""Writes of the Admin API backend against the sandbox's Admin personality in process, every request and answer
held to the contract: the week and the retry policy written and read back, what is refused before anything is
written (a week the skill or the tenant cannot hold, another zone, retry fields CXone's cannot hold), the
tenant's own refusals, per-item batch failures."""

from __future__ import annotations

import pytest

from campaigns.cxone.errors import BatchItemsFailed, ValidationFailed, VersionConflict
from campaigns.cxone.factory import run_sync
from campaigns.sandbox import create_app
from tests.cxone_support import admin_asgi_client, admin_config

API = "/inContactAPI/services/{version}"
PUT_RETRY = f"PUT {API}/skills/{{skill_id}}/parameters/retry-settings"
PUT_GENERAL = f"PUT {API}/skills/{{skill_id}}/parameters/general-settings"


@pytest.fixture
def tenant():
    return create_app(admin_config(campaigns=8))


@pytest.fixture
def admin(tenant):
    client = admin_asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def proposal(campaign, *, cron="0 10 * * *", minutes=300, **policy):
    retry = campaign.schedule.retry_policy.model_copy(update=policy)
    schedule = campaign.schedule.model_copy(
        update={"cron_expression": cron, "duration_minutes": minutes, "retry_policy": retry}
    )
    return campaign.with_schedule(schedule)


def test_the_retry_policy_is_written_with_the_week_and_reads_back_as_written(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    wanted = proposal(current, max_attempts=4, retry_interval_ms=30 * 60_000, restricted_calling_minutes=1440,
                      restricted_calling_max_attempts=3)  # fmt: skip
    run_sync(admin.put_campaign_once(wanted, base_version=current.version))

    held = tenant.state.pc.retry["1005"]
    assert (held["maximumAttempts"], held["minimumRetryMinutes"], held["restrictedCallingMinutes"],
            held["restrictedCallingMaxAttempts"]) == (4, 30, 1440, 3)  # fmt: skip
    assert held["finalizeWhenExhausted"] is True  # CXone's other fields written back as they were
    read = run_sync(admin.get_campaign("1005"))
    assert read.schedule.retry_policy.model_dump(exclude={"retry_on_busy", "retry_on_no_answer"}) == \
        wanted.schedule.retry_policy.model_dump(exclude={"retry_on_busy", "retry_on_no_answer"})  # fmt: skip
    assert read.version == admin.next_version(wanted.schedule, base_version=current.version)
    assert tenant.state.stats.count(PUT_GENERAL, 200) == 1  # the fields general-settings shares, too


def test_a_retry_policy_cxone_already_holds_is_not_written_again(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    run_sync(admin.put_campaign_once(proposal(current), base_version=current.version))
    assert tenant.state.stats.count(PUT_RETRY) == 0 and tenant.state.stats.puts["1005"] == 1


def test_a_retry_policy_changed_in_cxone_since_the_draft_makes_the_write_stale(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    tenant.state.pc.retry["1005"]["maximumAttempts"] += 1  # someone edits the skill's retry settings
    with pytest.raises(VersionConflict):
        run_sync(admin.put_campaign_once(proposal(current), base_version=current.version))
    assert tenant.state.stats.puts["1005"] == 0


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        ({"retry_interval_ms": 90_000}, "whole minutes"),
        ({"restricted_calling_minutes": 10_080, "restricted_calling_max_attempts": 7}, "0–9999"),
        ({"restricted_calling_max_attempts": 11}, "0–10"),
    ],
)
def test_retry_fields_cxone_cannot_hold_are_refused_before_anything_is_written(tenant, admin, policy, said):
    current = run_sync(admin.get_campaign("1005"))
    with pytest.raises(ValidationFailed, match=said):
        run_sync(admin.put_campaign_once(proposal(current, **policy), base_version=current.version))
    assert tenant.state.stats.puts["1005"] == 0 and tenant.state.stats.count(PUT_RETRY) == 0


def test_a_week_with_days_off_is_written_with_its_hours_on_every_day_where_the_tenant_refuses_one(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    weekdays = proposal(current, cron="0 9 * * 1-5", minutes=480)
    every_day = proposal(current, cron="0 9 * * *", minutes=480)
    # The product holds the days off itself (dialling control): CXone gets the same hours every day.
    assert admin.next_version(weekdays.schedule, base_version=current.version) == admin.next_version(
        every_day.schedule, base_version=current.version
    )
    run_sync(admin.put_campaign_once(weekdays, base_version=current.version))
    held = tenant.state.pc.schedules["1005"]
    assert all(held[f"{day}IsActive"] for day in ("sunday", "monday", "saturday"))
    assert held["saturdayStartTime"].startswith("09:00")

    # A client told the tenant takes days off writes it; the tenant's refusal then comes back as it is.
    tenant.state.clock.advance(60)  # the start the write asked for has taken
    current = run_sync(admin.get_campaign("1005"))
    weekdays = proposal(current, cron="0 9 * * 1-5", minutes=480)
    told_otherwise = admin_asgi_client(tenant, require_all_days=False)
    with pytest.raises(ValidationFailed, match="InvalidParameter"):
        run_sync(told_otherwise.put_campaign_once(weekdays, base_version=current.version))
    tenant.state.config.update({"admin_require_all_days": False})
    run_sync(told_otherwise.put_campaign_once(weekdays, base_version=current.version))
    assert tenant.state.pc.schedules["1005"]["saturdayIsActive"] is False
    run_sync(told_otherwise.aclose())


def test_a_schedule_a_skill_cannot_hold_is_refused_before_anything_is_written(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    with pytest.raises(ValidationFailed, match="Every day 09:00–17:00"):
        run_sync(admin.put_campaign_once(proposal(current, cron="0 9,14 * * *", minutes=180),
                                         base_version=current.version))  # fmt: skip
    other_zone = proposal(current)
    other_zone = other_zone.with_schedule(other_zone.schedule.model_copy(update={"timezone": "Europe/Paris"}))
    with pytest.raises(ValidationFailed, match="America/New_York"):
        run_sync(admin.put_campaign_once(other_zone, base_version=current.version))
    assert tenant.state.stats.puts["1005"] == 0


def test_a_time_format_the_tenant_refuses_comes_back_as_validation_failed(tenant, admin):
    tenant.state.config.update({"admin_time_format": "%H:%M:%S"})
    current = run_sync(admin.get_campaign("1005"))
    with pytest.raises(ValidationFailed):
        run_sync(admin.put_campaign_once(proposal(current), base_version=current.version))
    seconds = admin_asgi_client(tenant, time_format="%H:%M:%S")
    run_sync(seconds.put_campaign_once(proposal(current), base_version=current.version))
    assert tenant.state.pc.schedules["1005"]["mondayStartTime"] == "10:00:00"
    run_sync(seconds.aclose())


def test_refused_items_of_a_time_zone_batch_are_raised_by_name(tenant, admin):
    rows = [{"standardName": "Eastern Standard Time", "timeZoneActiveToCall": True},
            {"standardName": "Mars Standard Time", "timeZoneActiveToCall": True}]  # fmt: skip
    with pytest.raises(BatchItemsFailed, match="Mars Standard Time") as caught:
        run_sync(admin.put_time_zones("1001", rows))
    assert [item["standardName"] for item in caught.value.items] == ["Mars Standard Time"]


def test_dnc_readiness_reads_the_skills_zone_window_and_its_dnc_group_as_rules(tenant, admin):
    campaign = run_sync(admin.get_campaign("1001"))
    assert [rule.flat() for rule in campaign.dnc_rules] == [
        {"type": "FCC_MIN_TIME", "value": "08:00"},
        {"type": "FCC_MAX_TIME", "value": "21:00"},
        {"type": "STATE_DNC"},
    ]
    tenant.state.pc.zones["1001"][0]["endTime"] = "20:00"  # the zones disagree: no one latest time to say
    fresh = admin_asgi_client(tenant)
    assert "FCC_MAX_TIME" not in {rule.type for rule in run_sync(fresh.get_campaign("1001")).dnc_rules}
    run_sync(fresh.aclose())
