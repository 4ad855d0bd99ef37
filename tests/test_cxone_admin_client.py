"""The Admin API backend against the sandbox's Admin personality in process: discovery, access-key tokens,
Personal Connection skills as campaigns, refusals before anything is written, per-item batch failures."""

from __future__ import annotations

import httpx
import pytest

from campaigns.cxone.admin_client import AdminClient
from campaigns.cxone.admin_mapping import schedule_version
from campaigns.cxone.errors import BatchItemsFailed, InvalidCredentials, NotFound, SkillBusy, ValidationFailed
from campaigns.cxone.factory import run_sync
from campaigns.cxone.resilience import RetrySettings
from campaigns.sandbox import create_app
from campaigns.scheduling.weekly import WeeklySchedule
from tests.cxone_support import BASE_URL, FAST_RETRY, FakeClock, admin_asgi_client, admin_config


@pytest.fixture
def tenant():
    return create_app(admin_config(campaigns=8))


@pytest.fixture
def admin(tenant):
    client = admin_asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def requests_to(tenant, route: str) -> int:
    return tenant.state.stats.count(route)


def test_it_discovers_the_api_from_the_tenant_id_in_the_id_token(tenant, admin):
    run_sync(admin.get_campaign("1001"))
    assert admin.tenant_id == "sandbox-tenant"
    assert requests_to(tenant, "GET /.well-known/cxone-configuration") == 1
    assert "/inContactAPI/services/v31.0" in repr(admin)


def test_a_wrong_access_key_is_invalid_credentials(tenant):
    client = AdminClient(BASE_URL, "demo", "demo-secret", "demo-key", "wrong", retry=FAST_RETRY,
                         transport=httpx.ASGITransport(app=tenant))  # fmt: skip
    with pytest.raises(InvalidCredentials, match="access key"):
        run_sync(client.get_campaign("1001"))


def test_an_aged_token_is_renewed_with_its_refresh_token(tenant):
    clock = FakeClock()
    client = admin_asgi_client(tenant, clock=clock, sleep=clock.sleep)
    run_sync(client.get_campaign("1001"))
    (first_refresh,) = tenant.state.refresh_tokens
    clock.now += 3600  # the token's hour has passed
    run_sync(client.get_campaign("1001"))
    assert client.transport.token_requests == 2
    assert first_refresh not in tenant.state.refresh_tokens  # spent: the refresh grant was used
    run_sync(client.aclose())


def test_only_personal_connection_skills_are_campaigns(tenant, admin):
    page = run_sync(admin.list_campaigns(top=100))
    assert page.total_records == 8 and "9001" not in {c.id for c in page.campaigns}
    with pytest.raises(NotFound):
        run_sync(admin.get_campaign("9002"))  # a Manual skill


def test_a_skill_reads_as_a_campaign_with_its_week_zone_dnc_group_and_zones(tenant, admin):
    campaign = run_sync(admin.get_campaign("1001"))
    week = WeeklySchedule.from_settings(tenant.state.pc.schedules["1001"])
    assert campaign.version == schedule_version(week)
    assert campaign.schedule.timezone == "America/New_York"  # the business unit's default zone
    assert week.as_cron() == [(campaign.schedule.cron_expression, campaign.schedule.duration_minutes)]
    assert run_sync(admin.get_dnc_list(campaign.dnc_list_id)).state in ("ACTIVE", "INACTIVE")
    zones = run_sync(admin.get_contact_list(campaign.contact_list.id)).breakdown[0].timezones
    assert zones and all("/" in zone for zone in zones)


def test_a_week_with_different_windows_on_different_days_has_no_schedule_and_says_why(tenant, admin):
    tenant.state.pc.schedules["1001"]["fridayEndTime"] = "12:00"
    tenant.state.pc.schedules["1001"]["fridayIsActive"] = True
    campaign = run_sync(admin.get_campaign("1001"))
    assert campaign.schedule is None
    assert campaign.errors[0]["code"] == "schedule.several_windows"


def test_a_schedule_a_skill_cannot_hold_is_refused_before_anything_is_written(tenant, admin):
    current = run_sync(admin.get_campaign("1005"))
    two_windows = current.schedule.model_copy(
        update={"cron_expression": "0 9,14 * * 1-5", "duration_minutes": 180}
    )
    with pytest.raises(ValidationFailed, match="Weekdays 09:00–17:00"):
        run_sync(admin.put_campaign_once(current.with_schedule(two_windows), base_version=current.version))
    other_zone = current.schedule.model_copy(
        update={"cron_expression": "0 9 * * 1-5", "timezone": "Europe/Paris"}
    )
    with pytest.raises(ValidationFailed, match="America/New_York"):
        run_sync(admin.put_campaign_once(current.with_schedule(other_zone), base_version=current.version))
    assert tenant.state.stats.puts["1005"] == 0


def test_a_time_format_the_tenant_refuses_comes_back_as_validation_failed(tenant, admin):
    tenant.state.config.admin_time_format = "%H:%M:%S"
    current = run_sync(admin.get_campaign("1005"))
    schedule = current.schedule.model_copy(update={"cron_expression": "0 9 * * 1-5"})
    with pytest.raises(ValidationFailed):
        run_sync(admin.put_campaign_once(current.with_schedule(schedule), base_version=current.version))
    seconds = admin_asgi_client(tenant, time_format="%H:%M:%S")
    run_sync(seconds.put_campaign_once(current.with_schedule(schedule), base_version=current.version))
    assert tenant.state.pc.schedules["1005"]["mondayStartTime"] == "09:00:00"
    run_sync(seconds.aclose())


def test_refused_items_of_a_time_zone_batch_are_raised_by_name(tenant, admin):
    rows = [{"standardName": "Eastern Standard Time", "timeZoneActiveToCall": True},
            {"standardName": "Mars Standard Time", "timeZoneActiveToCall": True}]  # fmt: skip
    with pytest.raises(BatchItemsFailed, match="Mars Standard Time") as caught:
        run_sync(admin.put_time_zones("1001", rows))
    assert [item["standardName"] for item in caught.value.items] == ["Mars Standard Time"]


def test_a_stopped_skill_starts_after_a_moment_and_starting_a_running_one_leaves_it_running(tenant, admin):
    run_sync(admin.stop_skill("1001"))
    assert run_sync(admin.get_campaign("1001")).state == "PAUSED"
    run_sync(admin.start_skill("1001"))
    with pytest.raises(SkillBusy):  # still starting: a second start is refused ("Invalid state")
        run_sync(admin.start_skill("1001"))
    tenant.state.clock.advance(2)
    run_sync(admin.start_skill("1001"))  # running: the 409 is no failure
    assert run_sync(admin.get_campaign("1001")).state == "ACTIVE"


def test_dnc_readiness_reads_the_skills_zone_window_and_its_dnc_group_as_rules(tenant, admin):
    campaign = run_sync(admin.get_campaign("1001"))
    assert [rule.flat() for rule in campaign.dnc_rules] == [
        {"type": "FCC_MIN_TIME", "value": "08:00"},
        {"type": "FCC_MAX_TIME", "value": "21:00"},
        {"type": "STATE_DNC"},
    ]
    tenant.state.pc.zones["1001"][0]["endTime"] = "20:00"  # the zones disagree: no one latest time to say
    run_sync(admin.aclose())
    fresh = admin_asgi_client(tenant)
    assert "FCC_MAX_TIME" not in {rule.type for rule in run_sync(fresh.get_campaign("1001")).dnc_rules}
    run_sync(fresh.aclose())


def test_the_combined_parameters_read_gives_the_same_campaign(tenant, admin):
    combined = admin_asgi_client(tenant, schedule_read="parameters")
    assert run_sync(combined.get_campaign("1001")) == run_sync(admin.get_campaign("1001"))
    assert requests_to(tenant, "GET /inContactAPI/services/{version}/skills/{skill_id}/parameters") == 1
    run_sync(combined.aclose())


def test_a_tenant_without_the_schedule_settings_route_is_read_through_the_combined_one(tenant, admin):
    routes = [r for r in tenant.routes if not r.path.endswith("/parameters/schedule-settings")]
    tenant.routes[:] = routes
    tenant.app.router.routes[:] = [r for r in tenant.app.router.routes if r in routes]
    assert run_sync(admin.get_campaign("1001")).schedule is not None
    assert requests_to(tenant, "unmatched") == 1  # the schedule-settings route: 404
    assert requests_to(tenant, "GET /inContactAPI/services/{version}/skills/{skill_id}/parameters") == 1


class RecordingLimit:
    """A shared rate limit that lets everything through at once and remembers every hold."""

    def __init__(self) -> None:
        self.holds: list[float] = []

    async def acquire(self, budget: float | None = None) -> None:
        return None

    async def hold(self, seconds: float) -> None:
        self.holds.append(seconds)


def test_a_429_without_retry_after_is_backed_off_on_our_own_and_holds_the_shared_limit(tenant):
    clock = FakeClock()
    shared = RecordingLimit()

    async def sleep(seconds: float) -> None:  # our waits pass on the sandbox's clock too
        await clock.sleep(seconds)
        tenant.state.clock.advance(seconds)

    client = admin_asgi_client(tenant, clock=clock, sleep=sleep, rate_limit=shared, retry=RetrySettings())
    run_sync(client.get_campaign("1001"))  # token and discovery first
    tenant.state.config.update({"rate_limit": 0.5, "burst": 1})
    tenant.state.buckets.clear()

    run_sync(client.get_skill("1001"))  # the bucket's one token
    run_sync(client.get_skill("1001"))  # 429s (no Retry-After) until the sandbox's bucket refills

    assert tenant.state.stats.count("GET /inContactAPI/services/{version}/skills/{skill_id}", 429) >= 1
    assert shared.holds and shared.holds == clock.waits  # every wait was ours, and everyone held off for it
    run_sync(client.aclose())


def test_the_failure_knob_makes_a_started_skill_never_run(tenant, admin):
    tenant.state.config.update({"failure_rate": 1.0})
    run_sync(admin.stop_skill("1001"))
    run_sync(admin.start_skill("1001"))
    tenant.state.clock.advance(2)
    assert run_sync(admin.get_campaign("1001")).state == "PAUSED"


def test_paging_reads_each_skills_parameters_once(tenant, admin):
    first = run_sync(admin.list_campaigns(skip=0, top=5))
    second = run_sync(admin.list_campaigns(skip=5, top=5))
    assert (len(first.campaigns), len(second.campaigns), first.total_records) == (5, 3, 8)
    assert "next" in first.links and "next" not in second.links
    route = "GET /inContactAPI/services/{version}/skills/{skill_id}/parameters/schedule-settings"
    assert requests_to(tenant, route) == 8
    assert requests_to(tenant, "GET /inContactAPI/services/{version}/skills") == 1  # the list, read once
