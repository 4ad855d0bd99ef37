"""The draft editor never answers bad input with a traceback or a 500: a clear message beside the field, and
nothing already saved is lost. The last test is a property: for any text in any field, validation answers."""

from __future__ import annotations

import string
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.forms import DraftForm
from campaigns.models import ScheduleDraft
from tests.conftest import make_draft
from tests.draft_view_support import form_data, text, validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def error_beside(body: str, field: str) -> str:
    return body.split(f'id="id_{field}_error"', 1)[1].split("</p>", 1)[0].split(">", 1)[1]


def save(client, draft, **overrides):
    return client.post(reverse("draft-editor", args=[draft.pk]), form_data(draft, **overrides))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("field", ["effective_start", "effective_end"])
def test_an_effective_date_at_the_edges_of_the_calendar_is_refused_beside_its_field(
    as_planner, campaign, planner, field, day
):
    draft = make_draft(campaign, planner)
    live = validate(as_planner, draft, **{field: day})
    assert live.status_code == 200
    assert error_beside(text(live), field) == "Enter a date between 2000-01-01 and 2100-12-31."

    saved = save(as_planner, draft, **{field: day})
    assert saved.status_code == 422
    assert error_beside(text(saved), field) == "Enter a date between 2000-01-01 and 2100-12-31."
    before = (draft.effective_start, draft.effective_end, draft.lock_version)
    draft.refresh_from_db()
    assert (draft.effective_start, draft.effective_end, draft.lock_version) == before


def test_dates_inside_the_range_are_accepted(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    response = save(as_planner, draft, effective_start="2026-12-02", effective_end="2100-12-31")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (
        f"{draft.effective_end.astimezone(ZoneInfo('America/Chicago')):%Y-%m-%d %H:%M}" == "2100-12-31 00:00"
    )


@pytest.mark.parametrize(
    ("cron", "part"),
    [
        ("0 9 L * *", "'L' uses 'L' (the last day)"),
        ("0 9 15W * *", "'15W' uses 'W' (the nearest weekday)"),
        ("0 9 * * 1#2", "'1#2' uses '#' (the nth weekday of the month)"),
        ("0 9 ? * 1-5", "'?' uses '?' (no specific value)"),
        ("0 9 1-31/99999999999999999999 * *", "step 999999999999… is larger than the field (1-31)"),
    ],
)
def test_a_cron_extension_outside_the_contract_is_refused_naming_the_part(as_planner, campaign, planner, cron,
                                                                          part):  # fmt: skip
    draft = make_draft(campaign, planner)
    assert part in error_beside(text(validate(as_planner, draft, cron_expression=cron)), "cron_expression")
    assert save(as_planner, draft, cron_expression=cron).status_code == 422
    draft.refresh_from_db()
    assert draft.cron_expression == "0 10 * * 1-5"


@pytest.mark.parametrize(
    ("zone", "suggested"),
    [
        ("EST", "America/New_York"),
        ("EST5EDT", "America/New_York"),
        ("MST", "America/Denver or America/Phoenix"),
    ],
)
def test_a_fixed_offset_legacy_zone_name_is_refused_with_the_real_zone_suggested(as_planner, campaign, planner,
                                                                                 zone, suggested):  # fmt: skip
    draft = make_draft(campaign, planner)
    error = error_beside(text(validate(as_planner, draft, timezone=zone)), "timezone")
    assert (
        error
        == f"'{zone}' is a legacy name, not a place (a fixed offset or an old rule set); enter {suggested}"
    )


def test_a_zone_typed_in_lower_case_is_suggested_in_its_real_spelling(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    error = error_beside(text(validate(as_planner, draft, timezone="america/chicago")), "timezone")
    assert error == "'america/chicago' is not an IANA time zone; did you mean America/Chicago?"


@pytest.mark.parametrize("duration", ["٤٨٠", "1_000", "480.0", "4e2", "abc", "10^9"])
def test_a_duration_that_is_not_plain_digits_is_refused_saying_what_is_wrong(as_planner, campaign, planner, duration):
    draft = make_draft(campaign, planner)
    error = error_beside(text(validate(as_planner, draft, duration_minutes=duration)), "duration_minutes")
    assert error == f"“{duration}” is not a whole number of minutes: type digits 0-9, such as 480."


@pytest.mark.parametrize(
    ("duration", "shown"),
    [("1000000000", "1000000000"), ("99999999999999999999999", "99999999999999999999…"), ("1441", "1441")],
)
def test_a_duration_past_a_day_says_the_most_allowed_not_required(as_planner, campaign, planner, duration, shown):
    draft = make_draft(campaign, planner)
    error = error_beside(text(validate(as_planner, draft, duration_minutes=duration)), "duration_minutes")
    assert error == f"{shown} is more than 1440 minutes, the most allowed."


def test_an_empty_duration_says_what_to_enter(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    error = error_beside(text(validate(as_planner, draft, duration_minutes="")), "duration_minutes")
    assert error == "Enter the number of minutes, such as 480."


def test_the_duration_is_a_text_field_so_the_browser_sends_what_was_typed(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    field = body.split('id="id_duration_minutes"', 1)[0].rsplit("<input", 1)[1]
    assert 'type="text"' in field and 'inputmode="numeric"' in field


def test_a_draft_that_does_not_exist_is_a_404_not_a_500_for_every_action(as_planner, client, supervisor):
    for name in ("draft-withdraw", "draft-rebase", "draft-validate", "draft-submit", "draft-editor"):
        assert as_planner.post(reverse(name, args=[999_999])).status_code == 404, name
    client.force_login(supervisor)
    for name in ("draft-approve", "draft-reject"):
        assert client.post(reverse(name, args=[999_999]), {"reason": "x"}).status_code == 404, name
    assert client.get("/drafts/99999999999999999999999/").status_code == 404


# ---- the property: any text in any field --------------------------------------------------------------------

# Any text a browser can send (no lone surrogates: they cannot be encoded), and text that looks like the fields.
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.text(string.digits + " */-,#?LW_:T+", max_size=30),
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "2026-02-30", "EST", "Etc/GMT+5", "", " ", "\x00", "٤٨٠", "1e999"]
    ),
)
FIELDS = list(DraftForm.base_fields)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(FIELDS), ANY_TEXT, min_size=1, max_size=len(FIELDS)))
def test_the_editors_validation_never_raises_for_any_text_in_any_field(as_planner, campaign, planner, values):
    draft = ScheduleDraft.objects.filter(campaign=campaign).first() or make_draft(campaign, planner)
    response = validate(as_planner, draft, **values)
    assert response.status_code == 200
    assert 'id="live"' in response.content.decode() or "field-error" in response.content.decode()
