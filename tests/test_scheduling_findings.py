"""One finding model, and the one policy of what blocks: decided from the kind and the rule's confidence."""

import datetime as dt

import pytest

from campaigns.scheduling import KINDS, Finding, FindingsReport, FirstWindow, Proposal, severity_of

# kind, confidence, advisory → severity. A blocking finding is shown as an error and refuses submission,
# approval and the push; a warning never does.
POLICY = [
    ("calling_hours", "high", False, "blocking"),
    ("calling_hours", "medium", False, "blocking"),
    ("calling_hours", "low", False, "warning"),
    ("frequency", "high", False, "blocking"),
    ("frequency", "medium", False, "blocking"),
    ("frequency", "low", False, "warning"),
    ("dnc", "high", False, "blocking"),
    ("skill", "high", False, "blocking"),
    ("skill", "high", True, "warning"),  # an advisory (a skill keeps no end date) never blocks
    ("calling_hours", "high", True, "warning"),
    ("dst", "high", False, "warning"),  # a DST note is never a breach
    ("dst", "low", False, "warning"),
]


@pytest.mark.parametrize(("kind", "confidence", "advisory", "severity"), POLICY)
def test_the_severity_policy(kind, confidence, advisory, severity):
    assert severity_of(kind, confidence, advisory=advisory) == severity
    finding = Finding(kind, "r", "m", confidence=confidence, advisory=advisory)
    assert finding.severity == severity
    assert finding.blocking is (severity == "blocking")


def test_the_policy_covers_every_kind_and_every_confidence():
    for kind in KINDS:
        for confidence in ("high", "medium", "low"):
            assert severity_of(kind, confidence) in ("blocking", "warning")


def test_an_unknown_kind_or_confidence_is_refused_not_guessed():
    with pytest.raises(ValueError, match="unknown kind"):
        severity_of("gossip", "high")
    with pytest.raises(ValueError, match="unknown confidence"):
        severity_of("dnc", "certain")


def test_a_finding_survives_storage_and_its_severity_is_the_policys_when_read_back():
    window = FirstWindow(
        start=dt.datetime(2026, 6, 1, 23, tzinfo=dt.UTC),
        end=dt.datetime(2026, 6, 2, 0, 30, tzinfo=dt.UTC),
        contact_zone="America/New_York",
        local_start=dt.datetime(2026, 6, 1, 23, tzinfo=dt.UTC).astimezone(
            dt.timezone(dt.timedelta(hours=-4))
        ),
    )
    finding = Finding(
        "frequency",
        "us-fl-frequency",
        "too many",
        confidence="high",
        source="Fla. Stat.",
        window=window,
        contacts_affected=310,
        proposal=Proposal("Retry every 8 h", {"retry_interval_ms": 28_800_000}),
        facts={"calls": 5},
    )
    stored = finding.to_dict()
    assert stored["severity"] == "blocking" and stored["window_start"] == "2026-06-01T23:00:00Z"
    stored["severity"] = "warning"  # whatever was stored, the policy decides
    assert Finding.from_dict(stored) == finding
    assert Finding.from_dict(stored).severity == "blocking"


def test_a_report_puts_blocking_findings_first_and_is_ok_exactly_without_one():
    early = FirstWindow(dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    warning = Finding("calling_hours", "us-tx", "w", confidence="low", window=early)
    error = Finding("dnc", "dnc_list_not_active", "e")
    report = FindingsReport.of([warning, error])
    assert report.findings == [error, warning]
    assert not report.ok and report.blocking == [error] and report.warnings == [warning]
    assert FindingsReport.of([warning]).ok
