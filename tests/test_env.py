import pytest
from django.core.exceptions import ImproperlyConfigured

from planner.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_role_groups,
    env_seconds_list,
    env_str,
    env_url,
    sqlite_database,
)


def test_a_missing_variable_gives_the_default():
    assert env_str("SOMETHING", "fallback", environ={}) == "fallback"


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cret"


def test_an_unreadable_secret_file_fails_loudly_naming_the_variable(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_setting_both_a_value_and_a_file_is_refused(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("x")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_str("TOKEN", environ={"TOKEN": "a", "TOKEN_FILE": str(secret)})


@pytest.mark.parametrize(
    "raw,expected", [("1", True), ("true", True), ("YES", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_words(raw, expected):
    assert env_bool("DEBUG", environ={"DEBUG": raw}) is expected


def test_a_boolean_that_is_not_one_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="DEBUG: 'maybe' is not a boolean"):
        env_bool("DEBUG", environ={"DEBUG": "maybe"})


def test_a_number_that_is_not_one_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="Q_WORKERS: 'two' is not a whole number"):
        env_int("Q_WORKERS", 2, environ={"Q_WORKERS": "two"})


def test_a_number_below_its_minimum_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("Q_WORKERS", 2, environ={"Q_WORKERS": "0"}, minimum=1)


def test_lists_are_comma_separated_and_trimmed():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": " a.example , b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_an_url_without_http_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CXONE_BASE_URL"):
        env_url("CXONE_BASE_URL", environ={"CXONE_BASE_URL": "api.example.com"})


def test_an_url_loses_its_trailing_slash():
    assert env_url("X", environ={"X": "https://api.example.com/"}) == "https://api.example.com"


def test_a_postgres_url_becomes_a_postgresql_database():
    db = database_from_url("postgres://planner:p%40ss@db.internal:5433/planner?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "planner",
        "planner",
        "p@ss",
        "db.internal",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_an_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://root@localhost/db")


def test_a_database_url_without_a_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        database_from_url("postgres://localhost")


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    db = sqlite_database("/tmp/x.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_a_retry_schedule_is_whole_seconds_separated_by_commas_or_spaces():
    assert env_seconds_list("S", (1,), environ={"S": "0, 5 300"}) == (0, 5, 300)
    assert env_seconds_list("S", (1,), environ={}) == (1,)


@pytest.mark.parametrize(("raw", "reason"), [("0, soon", "'soon' is not a whole number"), ("0,-5", "negative")])
def test_a_retry_schedule_that_is_not_one_fails_loudly_naming_the_variable(raw, reason):
    with pytest.raises(ImproperlyConfigured, match=f"WFM_RETRY_SCHEDULE: .*{reason}"):
        env_seconds_list("WFM_RETRY_SCHEDULE", (0,), environ={"WFM_RETRY_SCHEDULE": raw})


def test_a_rate_is_a_finite_number_above_its_minimum_named_when_wrong():
    assert env_float("CXONE_RATE_LIMIT", 5.0, environ={"CXONE_RATE_LIMIT": "0.5"}, minimum=0) == 0.5
    assert env_float("CXONE_RATE_LIMIT", 5.0, environ={}, minimum=0) == 5.0
    for raw, reason in (("fast", "not a number"), ("inf", "not a finite number"), ("0", "must be above 0")):
        with pytest.raises(ImproperlyConfigured, match=f"CXONE_RATE_LIMIT: .*{reason}"):
            env_float("CXONE_RATE_LIMIT", 5.0, environ={"CXONE_RATE_LIMIT": raw}, minimum=0)


@pytest.mark.parametrize("raw", ["١٢", "1_000", "²", "12.0", "99999999999999999999"])
def test_a_whole_number_is_written_in_the_digits_0_to_9(raw):
    with pytest.raises(ImproperlyConfigured, match="Q_WORKERS: .* is not a whole number"):
        env_int("Q_WORKERS", 2, environ={"Q_WORKERS": raw})


def test_a_number_above_its_maximum_fails_loudly():
    assert env_int("TRUSTED_PROXY_HOPS", 0, environ={"TRUSTED_PROXY_HOPS": "2"}, minimum=0, maximum=10) == 2
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_HOPS: 11 is above the maximum of 10"):
        env_int("TRUSTED_PROXY_HOPS", 0, environ={"TRUSTED_PROXY_HOPS": "11"}, minimum=0, maximum=10)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("http://[::1", "is not a valid URL (Invalid IPv6 URL)"),
        ("https://api.example.com:99999", "is not a valid URL (Port out of range 0-65535)"),
        ("https://api.example.com:https", "is not a valid URL"),
        ("https://:443", "is not an http(s) URL with a host"),
    ],
)
def test_a_malformed_url_is_refused_naming_the_variable_and_why(raw, reason):
    with pytest.raises(ImproperlyConfigured) as refused:
        env_url("CXONE_BASE_URL", environ={"CXONE_BASE_URL": raw})
    assert str(refused.value).startswith("CXONE_BASE_URL: ")
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    "url", ["postgres://planner:pw@[db/planner", "postgres://planner:pw@db:99999/planner", "postgres://planner:pw@db"]
)
def test_a_malformed_database_url_is_refused_without_showing_its_password(url):
    with pytest.raises(ImproperlyConfigured) as refused:
        database_from_url(url)
    assert str(refused.value).startswith("DATABASE_URL: 'postgres://planner:***@")
    assert ":pw@" not in str(refused.value)
ROLES = ("planner", "supervisor", "manager", "admin")
def test_role_groups_are_role_equals_group_pairs_and_a_group_may_hold_equals_and_commas():
    raw = "planner=cc-planners; planner=cn=leads,ou=groups,dc=example\nsupervisor = CC Supervisors"
    assert env_role_groups("OIDC_ROLE_GROUPS", ROLES, environ={"OIDC_ROLE_GROUPS": raw}) == {
        "planner": ("cc-planners", "cn=leads,ou=groups,dc=example"),
        "supervisor": ("CC Supervisors",),
    }
    assert env_role_groups("OIDC_ROLE_GROUPS", ROLES, environ={}) == {}
@pytest.mark.parametrize(("raw", "reason"), [("planner", "is not role=group"), ("boss=cc", "'boss' is not a role")])
def test_role_groups_that_are_not_pairs_of_known_roles_fail_loudly_naming_the_variable(raw, reason):
    with pytest.raises(ImproperlyConfigured, match=f"OIDC_ROLE_GROUPS: .*{reason}"):
        env_role_groups("OIDC_ROLE_GROUPS", ROLES, environ={"OIDC_ROLE_GROUPS": raw})
def test_an_issuer_keeps_its_trailing_slash_where_other_urls_lose_it():
    environ = {"OIDC_ISSUER": "https://tenant.example.test/"}
    assert env_url("OIDC_ISSUER", environ=environ, strip_slash=False) == "https://tenant.example.test/"
    assert env_url("OIDC_ISSUER", environ=environ) == "https://tenant.example.test"
