from django.test import override_settings

from campaigns.checks import check_integration_settings

PRODUCTION = {
    "DEBUG": False,
    "CXONE_BASE_URL": "https://eu1.api.example.test",
    "CXONE_CLIENT_ID": "id",
    "CXONE_CLIENT_SECRET": "secret",
    "WFM_WEBHOOK_URL": "https://wfm.example.test/hook",
    "WFM_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "WFM_RETRY_SCHEDULE": (0, 5, 300),
    "WFM_TIMEOUT_SECONDS": 15,
    "ALLOWED_HOSTS": ["planner.example.test"],
    "SECRET_KEY": "a-real-production-secret",
}


def ids(**overrides):
    with override_settings(**{**PRODUCTION, **overrides}):
        return {problem.id for problem in check_integration_settings()}


def test_a_complete_production_configuration_reports_nothing_but_sqlite():
    assert ids() <= {"planner.W002"}


def test_missing_cxone_credentials_are_an_error():
    assert "planner.E001" in ids(CXONE_CLIENT_SECRET=None)


def test_missing_cxone_credentials_are_fine_in_debug():
    assert "planner.E001" not in ids(DEBUG=True, CXONE_BASE_URL=None)


def test_a_webhook_url_without_a_secret_is_an_error():
    assert "planner.E002" in ids(WFM_WEBHOOK_SECRET=None)


def test_no_webhook_url_is_a_warning():
    assert "planner.W001" in ids(WFM_WEBHOOK_URL=None, WFM_WEBHOOK_SECRET=None)


def test_empty_allowed_hosts_is_an_error_in_production():
    assert "planner.E003" in ids(ALLOWED_HOSTS=[])


def test_the_development_secret_key_is_an_error_in_production():
    from django.conf import settings

    assert "planner.E004" in ids(SECRET_KEY=settings.DEV_SECRET_KEY)


def test_a_missing_secret_key_is_an_error():
    assert "planner.E005" in ids(SECRET_KEY="")


def test_a_webhook_secret_that_is_not_a_standard_webhooks_secret_is_an_error():
    assert "planner.E006" in ids(WFM_WEBHOOK_SECRET="hook-secret")
    assert "planner.E006" in ids(WFM_WEBHOOK_SECRET="whsec_c2hvcnQ=")  # 5 bytes


def test_two_secrets_while_rotating_are_fine_and_three_are_not():
    two = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
    assert "planner.E006" not in ids(WFM_WEBHOOK_SECRET=two)
    assert "planner.E006" in ids(WFM_WEBHOOK_SECRET=two + " whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")


def test_an_empty_or_negative_retry_schedule_is_an_error():
    assert "planner.E007" in ids(WFM_RETRY_SCHEDULE=())
    assert "planner.E007" in ids(WFM_RETRY_SCHEDULE=(0, -5))
    assert "planner.E007" not in ids(WFM_RETRY_SCHEDULE=(0,))


def test_a_webhook_timeout_above_30_seconds_is_an_error():
    assert "planner.E008" in ids(WFM_TIMEOUT_SECONDS=31)
    assert "planner.E008" not in ids(WFM_TIMEOUT_SECONDS=15)


def test_an_unknown_cxone_api_is_an_error():
    assert "planner.E009" in ids(CXONE_API="outbound-v3")
    assert "planner.E009" not in ids(CXONE_API="outbound-v2")


def test_the_admin_api_without_an_access_key_is_an_error_in_production():
    assert "planner.E010" in ids(CXONE_API="admin", CXONE_ACCESS_KEY_ID=None, CXONE_ACCESS_KEY_SECRET="s")
    assert "planner.E010" not in ids(CXONE_API="admin", CXONE_ACCESS_KEY_ID="k", CXONE_ACCESS_KEY_SECRET="s")


def test_a_schedule_time_format_that_writes_no_time_of_day_is_an_error():
    keys = {"CXONE_API": "admin", "CXONE_ACCESS_KEY_ID": "k", "CXONE_ACCESS_KEY_SECRET": "s"}
    assert "planner.E010" in ids(CXONE_ADMIN_TIME_FORMAT="%Y", **keys)
    assert "planner.E010" not in ids(CXONE_ADMIN_TIME_FORMAT="%H:%M:%S", **keys)


def test_an_unknown_schedule_read_is_an_error():
    keys = {"CXONE_API": "admin", "CXONE_ACCESS_KEY_ID": "k", "CXONE_ACCESS_KEY_SECRET": "s"}
    assert "planner.E010" in ids(CXONE_ADMIN_SCHEDULE_READ="both", **keys)
    assert "planner.E010" not in ids(CXONE_ADMIN_SCHEDULE_READ="parameters", **keys)


def test_a_proxy_in_front_without_trusted_hops_is_a_warning():
    header = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "planner.W003" in ids(SECURE_PROXY_SSL_HEADER=header, TRUSTED_PROXY_HOPS=0)
    assert "planner.W003" not in ids(SECURE_PROXY_SSL_HEADER=header, TRUSTED_PROXY_HOPS=1)
    assert "planner.W003" not in ids(SECURE_PROXY_SSL_HEADER=None, TRUSTED_PROXY_HOPS=0)
