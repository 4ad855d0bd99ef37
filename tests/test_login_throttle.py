"""Login throttling: wrong passwords slow further tries from where they came (the account from that address, that
address for any account) and are logged; waiting is always enough, a right password after the wait gets in, and
an address that has not failed is never held back, whoever fails elsewhere and whatever X-Forwarded-For says."""

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


def log_in(client, username, password, address="192.0.2.10", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


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


def test_the_admin_login_is_throttled_the_same_way(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for _ in range(3):
            client.post("/admin/login/", {"username": planner.username, "password": "x"}, REMOTE_ADDR="192.0.2.1")
        response = client.post(
            "/admin/login/", {"username": planner.username, "password": "x"}, REMOTE_ADDR="192.0.2.1"
        )
        assert "Too many failed log-ins" in response.content.decode()


def waited(response) -> int:
    body = response.content.decode()
    return int(body.split("Wait ")[1].split(" ")[0]) if "Wait " in body else 0


def test_rotating_forwarded_for_values_never_keep_the_real_user_out(client, supervisor):
    """The attack that kept a supervisor out: one wrong try each time the delay ran out, each with another
    X-Forwarded-For. No proxy is trusted by default, so all of them count against the attacker's own address."""
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False) as clock:
        for n in range(12):
            response = log_in(client, supervisor.username, "guess", address="203.0.113.66", forwarded=f"10.0.0.{n}")
            clock.shift(waited(response) + 1)
            assert is_logged_in(log_in(client, supervisor.username, PASSWORD, address="192.0.2.10"))
            client.logout()
        held = log_in(client, supervisor.username, "guess", address="203.0.113.66", forwarded="10.9.9.9")
        held = log_in(client, supervisor.username, "guess", address="203.0.113.66", forwarded="10.9.9.9")
        assert waited(held) > 1  # the attacker's own address is held back, not the supervisor's


def test_many_addresses_failing_for_one_account_hold_back_only_those_that_failed(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for n in range(6):
            log_in(client, planner.username, "guess", address=f"198.51.100.{n}")
        # An address that failed once for the account waits out the account's count (a botnet gets one try each).
        again = log_in(client, planner.username, "guess", address="198.51.100.0")
        assert "Too many failed log-ins" in again.content.decode()
        # One that has not failed is never refused: the right password gets in at once.
        assert is_logged_in(log_in(client, planner.username, PASSWORD, address="192.0.2.44"))


def test_a_right_password_clears_the_accounts_count(client, planner):
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False) as clock:
        for _ in range(3):
            log_in(client, planner.username, "wrong")
        clock.shift(2)
        assert is_logged_in(log_in(client, planner.username, PASSWORD))
        client.logout()
        # Counting starts again: the next typo is a free one, not a 2 s wait.
        log_in(client, planner.username, "wrong")
        assert is_logged_in(log_in(client, planner.username, PASSWORD))


@pytest.mark.parametrize(
    ("hops", "forwarded", "counted_as"),
    [
        (0, "198.51.100.7", "192.0.2.1"),  # no proxy trusted: the header is the client's word, ignored
        (1, "10.1.1.1, 198.51.100.7", "198.51.100.7"),  # the entry our proxy appended; the client wrote the first
        (2, "10.1.1.1, 198.51.100.7, 172.16.0.2", "198.51.100.7"),  # the outer of two proxies saw 198.51.100.7
        (2, "198.51.100.7", "192.0.2.1"),  # fewer entries than proxies: it did not come through them all
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(rf, settings, hops, forwarded, counted_as):
    from campaigns.services.login_throttle import client_address

    settings.TRUSTED_PROXY_HOPS = hops
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # says HTTPS, never who the client is
    request = rf.post("/login/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == counted_as


def test_behind_a_trusted_proxy_what_the_client_prepends_does_not_spread_its_failures(client, settings, planner):
    settings.TRUSTED_PROXY_HOPS = 1
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for n in range(3):
            log_in(client, planner.username, "guess", address="10.0.0.2", forwarded=f"10.9.9.{n}, 198.51.100.7")
        held = log_in(client, planner.username, PASSWORD, address="10.0.0.2", forwarded="10.9.9.9, 198.51.100.7")
        assert "Too many failed log-ins" in held.content.decode()
        # Another client behind the same proxy is someone else.
        assert is_logged_in(log_in(client, planner.username, PASSWORD, address="10.0.0.2", forwarded="192.0.2.8"))


def test_each_try_is_logged_with_the_account_the_address_and_why_it_was_refused(client, planner, caplog):
    caplog.set_level(logging.INFO, logger="planner.security.login")
    with time_machine.travel("2026-12-02 09:00:00Z", tick=False):
        for _ in range(4):
            log_in(client, planner.username, "wrong", address="198.51.100.9")
        log_in(client, planner.username, PASSWORD, address="192.0.2.10")
    events = [(r.event, r.address) for r in caplog.records if hasattr(r, "event")]
    assert events == [("login_failed", "198.51.100.9")] * 3 + [
        ("login_throttled", "198.51.100.9"),
        ("login_succeeded", "192.0.2.10"),
    ]
    refused = next(r for r in caplog.records if getattr(r, "event", "") == "login_throttled")
    assert refused.reason == "pair" and "failures for this account from this address" in refused.getMessage()
    assert all(r.username == planner.username for r in caplog.records if hasattr(r, "event"))
