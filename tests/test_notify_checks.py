"""campaigns/notify_checks.py: sign-on and mail settings that cannot work stop `manage.py check` with stable ids."""

from django.test import override_settings

from campaigns.notify_checks import check_sign_on_and_mail

PRODUCTION = {
    "DEBUG": False,
    "OIDC_ISSUER": "https://id.example.test",
    "OIDC_CLIENT_ID": "planner",
    "OIDC_CLIENT_SECRET": "secret",
    "OIDC_ROLE_GROUPS": {"planner": ("cc-planners",)},
    "OIDC_SIGNING_ALGORITHMS": ["RS256"],
    "PASSWORD_LOGIN": False,
    "EMAIL_HOST": "smtp.example.test",
    "EMAIL_USE_TLS": True,
    "EMAIL_USE_SSL": False,
    "MAIL_RETRY_SCHEDULE": (0, 30),
}


def ids(**overrides):
    with override_settings(**{**PRODUCTION, **overrides}):
        return {problem.id for problem in check_sign_on_and_mail()}


def test_a_complete_production_configuration_reports_nothing():
    assert ids() == set()


def test_an_issuer_without_client_credentials_is_an_error():
    assert "planner.E020" in ids(OIDC_CLIENT_SECRET=None)


def test_a_role_mapping_that_grants_nothing_is_an_error():
    assert "planner.E021" in ids(OIDC_ROLE_GROUPS={})


def test_passwords_off_without_an_identity_provider_locks_everyone_out():
    assert "planner.E022" in ids(OIDC_ISSUER=None)
    assert "planner.E022" not in ids(OIDC_ISSUER=None, PASSWORD_LOGIN=True)


def test_tls_and_ssl_together_is_an_error():
    assert "planner.E023" in ids(EMAIL_USE_SSL=True)


def test_a_mail_retry_schedule_must_have_one_to_thirty_waits():
    assert "planner.E024" in ids(MAIL_RETRY_SCHEDULE=())
    assert "planner.E024" in ids(MAIL_RETRY_SCHEDULE=tuple(range(31)))


def test_only_asymmetric_signing_algorithms_are_allowed():
    assert "planner.E025" in ids(OIDC_SIGNING_ALGORITHMS=["RS256", "HS256"])
    assert "planner.E025" not in ids(OIDC_SIGNING_ALGORITHMS=["ES256"])


def test_production_warns_of_a_plain_http_issuer_passwords_beside_sign_on_and_no_mail_server():
    assert "planner.W020" in ids(OIDC_ISSUER="http://id.example.test")
    assert "planner.W021" in ids(PASSWORD_LOGIN=True)
    assert "planner.W022" in ids(EMAIL_HOST="")
    assert ids(DEBUG=True, EMAIL_HOST="", PASSWORD_LOGIN=True, OIDC_ISSUER="http://127.0.0.1:8800") == set()
