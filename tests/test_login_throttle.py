"""Login throttling: wrong passwords for one user name or from one address slow further tries down and are
logged; waiting is always enough (no permanent lock-out), and a right password after the wait gets in."""

import logging

import pytest
import time_machine
from django.core.cache import cache

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.LOGIN_FREE_FAILURES = 3
    settings.LOGIN_MAX_DELAY_SECONDS = 60
    # A cache of the tests' own, so clearing it never flushes a shared Redis database (broker, other counters).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "login-throttle-tests"},
    }
    cache.clear()
    yield
    cache.clear()


def log_in(client, username, password, address="192.0.2.10"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def is_logged_in(response) -> bool:
    return response.status_code == 302


def test_wrong_passwords_for_one_user_slow_the_next_try_and_are_logged(client, planner, caplog):
    caplog.set_level(logging.WARNING, logger="planner.security.login")
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False) as clock:
        for _ in range(3):
            assert log_in(client, planner.username, "wrong").status_code == 200
        failed = [r for r in caplog.records if getattr(r, "event", "") == "login_failed"]
        assert [r.failures for r in failed] == [1, 2, 3]
        assert all(r.username == planner.username and "wrong" not in r.getMessage() for r in failed)

        # Three free failures spent: even the right password is not checked until the wait is over.
        response = log_in(client, planner.username, PASSWORD)
        assert not is_logged_in(response)
        assert "Too many failed log-ins. Wait 1 seconds" in response.content.decode()
        assert any(getattr(r, "event", "") == "login_throttled" for r in caplog.records)

        clock.shift(2)
        assert is_logged_in(log_in(client, planner.username, PASSWORD))


def test_each_further_failure_doubles_the_wait_up_to_the_cap_never_for_ever(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False) as clock:
        waits = []
        for _ in range(12):
            log_in(client, planner.username, "wrong")
            refused = log_in(client, planner.username, "wrong").content.decode()
            waits.append(int(refused.split("Wait ")[1].split(" ")[0]) if "Wait " in refused else 0)
            clock.shift(waits[-1] + 1)
        assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]  # doubling up to the cap, not more
        assert is_logged_in(log_in(client, planner.username, PASSWORD))  # the wait over, the user gets in


def test_one_address_trying_many_user_names_is_slowed_too(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for name in ["ann", "bob", "cyd"]:
            log_in(client, name, "guess", address="198.51.100.7")
        refused = log_in(client, planner.username, PASSWORD, address="198.51.100.7")
        assert not is_logged_in(refused) and "Too many failed log-ins" in refused.content.decode()
        # The same user from another address is not held back by that address's failures.
        assert is_logged_in(log_in(client, planner.username, PASSWORD, address="203.0.113.5"))


def test_a_right_password_clears_the_users_count(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        log_in(client, planner.username, "wrong")
        log_in(client, planner.username, "wrong")
        assert is_logged_in(log_in(client, planner.username, PASSWORD))
        client.logout()
        log_in(client, planner.username, "wrong", address="192.0.2.99")
        log_in(client, planner.username, "wrong", address="192.0.2.99")
        assert is_logged_in(log_in(client, planner.username, PASSWORD, address="192.0.2.99"))


def test_the_admin_login_is_throttled_the_same_way(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for _ in range(3):
            client.post("/admin/login/", {"username": planner.username, "password": "x"}, REMOTE_ADDR="192.0.2.1")
        response = client.post(
            "/admin/login/", {"username": planner.username, "password": "x"}, REMOTE_ADDR="192.0.2.1"
        )
        assert "Too many failed log-ins" in response.content.decode()
