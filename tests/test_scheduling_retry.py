"""A retry policy in one shape both backends can be said in, what each backend really dials from it, and the
nearest policy that keeps a set of frequency limits."""

import pytest

from campaigns.scheduling import ADMIN, OUTBOUND_V2, RetryPolicy
from campaigns.scheduling.retry import nearest_compliant

MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000


def test_one_policy_says_both_backends_fields():
    policy = RetryPolicy(5, 90_500, restricted_minutes=1440, restricted_max_attempts=3, retry_on_busy=False)
    assert policy.outbound_v2() == {
        "maxAttempts": 5,
        "retryIntervalMs": 90_500,
        "retryOnBusy": False,
        "retryOnNoAnswer": True,
    }
    assert policy.admin_retry_settings() == {
        "maximumAttempts": 5,
        "minimumRetryMinutes": 2,  # never sooner than asked: rounded up
        "restrictedCallingMinutes": 1440,
        "restrictedCallingMaxAttempts": 3,
    }


@pytest.mark.parametrize(
    ("attempts", "gap_ms", "period_ms", "calls"),
    [
        (3, MINUTE, DAY, 3),
        (10, MINUTE, DAY, 10),
        (10, 8 * HOUR, DAY, 3),
        (10, 7 * HOUR, DAY, 4),
        (10, DAY, 7 * DAY, 7),
        (10, 20 * HOUR, 7 * DAY, 9),
        (1, MINUTE, DAY, 1),
    ],
)
def test_it_counts_the_most_calls_inside_any_period(attempts, gap_ms, period_ms, calls):
    assert RetryPolicy(attempts, gap_ms).dialled_by(OUTBOUND_V2).calls_within(period_ms) == calls


def test_a_restricted_calling_window_holds_attempts_back_under_the_admin_api_only():
    policy = RetryPolicy(10, MINUTE, restricted_minutes=60, restricted_max_attempts=2)
    admin = policy.dialled_by(ADMIN)
    assert (admin.window_ms, admin.window_attempts) == (60 * MINUTE, 2)
    # 0, 1 min, then 60 and 61 min, then 120 and 121 min: 6 within three hours.
    assert admin.calls_within(3 * HOUR) == 6
    assert policy.dialled_by(OUTBOUND_V2).calls_within(3 * HOUR) == 10


def test_half_a_restricted_calling_window_is_no_window():
    policy = RetryPolicy(10, MINUTE, restricted_minutes=1440, restricted_max_attempts=0)
    assert policy.dialled_by(ADMIN).calls_within(DAY) == 10


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown CXone API 'soap'"):
        RetryPolicy(3, MINUTE).dialled_by("soap")


def test_a_policy_inside_every_limit_needs_no_proposal():
    assert nearest_compliant(RetryPolicy(3, MINUTE), OUTBOUND_V2, [(3, DAY)]) is None


def test_under_the_admin_api_the_nearest_keeps_attempts_and_interval_by_restricting_calls():
    better, words = nearest_compliant(RetryPolicy(5, MINUTE), ADMIN, [(3, DAY)])
    assert (better.max_attempts, better.retry_interval_ms) == (5, MINUTE)
    assert (better.restricted_minutes, better.restricted_max_attempts) == (1440, 3)
    assert words.startswith("at most 3 attempts in 24 h")


def test_under_v2_the_nearest_keeps_every_attempt_with_the_shortest_interval_that_fits():
    better, words = nearest_compliant(RetryPolicy(5, MINUTE), OUTBOUND_V2, [(3, DAY)])
    assert (better.max_attempts, better.retry_interval_ms) == (5, 8 * HOUR)
    assert words == "retry every 8 h: at most 3 attempts in 24 h"


def test_a_longer_interval_than_asked_is_never_shortened():
    better, _ = nearest_compliant(RetryPolicy(10, 23 * HOUR), OUTBOUND_V2, [(7, 7 * DAY)])
    assert better.retry_interval_ms == DAY


def test_when_no_interval_the_editor_offers_can_keep_the_limit_it_proposes_fewer_attempts():
    # One call in 10 days would need an interval of 10 days; the editor goes up to 7.
    better, words = nearest_compliant(RetryPolicy(4, MINUTE), OUTBOUND_V2, [(1, 10 * DAY)])
    assert (better.max_attempts, better.retry_interval_ms) == (1, MINUTE)
    assert words == "at most 1 attempt in all"
