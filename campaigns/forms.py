"""The draft editor's form: the fields a planner types, checked field by field with messages that say what to change.

The effective period is typed as local dates in the draft's own time zone (planners think "from 1 December in
Chicago"), and stored as the UTC instants of local midnight, the way CXone's startTime/endTime carry it.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from campaigns.cxone.factory import capabilities
from campaigns.models import ScheduleDraft
from campaigns.scheduling import (
    DATE_RANGE,
    PURPOSES,
    Proposal,
    ScheduleSpec,
    UnknownZone,
    canonical_zone,
    cron_errors,
    validate_spec,
    zone_or_utc,
)
from campaigns.scheduling.spec import FIRST_DATE, LAST_DATE

SPEC_FIELDS = ("cron_expression", "timezone", "duration_minutes", "effective_start", "effective_end")
# The form's retry fields for each of the backend's (capabilities.retry_fields), in the order shown: v2 types the
# interval in seconds; the Admin API's fields are CXone's own, the interval in whole minutes.
RETRY_FORM_FIELDS = {
    "retry_max_attempts": "retry_max_attempts",
    "retry_interval_ms": "retry_interval_seconds",
    "retry_on_busy": "retry_on_busy",
    "retry_on_no_answer": "retry_on_no_answer",
    "retry_restricted_minutes": "retry_restricted_minutes",
    "retry_restricted_max_attempts": "retry_restricted_max_attempts",
}
# Under the Admin API the editor says the skill's retry settings by CXone's own names.
ADMIN_RETRY_LABELS = {
    "retry_max_attempts": ("Maximum attempts (maximumAttempts)", "How many times a number is dialled in all."),
    "retry_restricted_minutes": (
        "Restricted calling: period in minutes (restrictedCallingMinutes)",
        "24 hours is 1440. CXone's field holds at most 9999, so 7 days (10,080) does not fit.",
    ),
    "retry_restricted_max_attempts": (
        "Restricted calling: most calls in that period (restrictedCallingMaxAttempts)",
        "“At most 3 calls in 24 hours” is 3 in 1440; 0 and 0 is no restriction.",
    ),
}


class WholeNumberField(forms.IntegerField):
    """A whole number typed in digits 0-9: Python's int() would also take "٤٨٠", "1_000" and "480.0". A text
    field, not a number field: a browser's number field sends nothing for "abc", which would read "required"
    instead of what is wrong. Every message names the value and the unit."""

    widget = forms.TextInput

    def __init__(self, *, unit: str, example: str, **kwargs):
        self.unit = unit
        messages = {
            "invalid": f"“%(value)s” is not a whole number of {unit}: type digits 0-9, such as {example}.",
            "max_value": f"%(value)s is more than %(limit_value)s {unit}, the most allowed.",
            "min_value": f"%(value)s is less than %(limit_value)s {unit}, the least allowed.",
            "required": f"Enter the number of {unit}, such as {example}.",
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(error_messages=messages, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown})
        if len(text) > 12 and self.max_value is not None:  # past any limit: say so, not "not a number"
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"value": shown, "limit_value": self.max_value},
            )
        return int(text)


class DraftForm(forms.Form):
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="IANA name, e.g. America/Chicago. Windows open in this zone.",
    )
    cron_expression = forms.CharField(
        label="Cron expression",
        max_length=120,
        help_text="Five fields: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5.",
    )
    duration_minutes = WholeNumberField(
        label="Duration (minutes)",
        unit="minutes",
        example="480",
        min_value=1,
        max_value=1440,
        help_text="How long each window stays open: 1 to 1440 minutes (24 hours).",
    )
    # ISO dates, typed as text: a browser's date picker shows the viewer's locale (MM/DD/YYYY) while every other
    # date on the pages is ISO, and "12/01" reads two ways. One format, the ISO one.
    effective_start = forms.DateField(
        label="Effective from",
        input_formats=["%Y-%m-%d"],
        help_text="First local date of the schedule, as YYYY-MM-DD.",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-12-01."},
    )
    effective_end = forms.DateField(
        label="Effective until",
        input_formats=["%Y-%m-%d"],
        help_text="The schedule ends at local midnight starting this date (YYYY-MM-DD).",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-12-01."},
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=list(PURPOSES.items()),
        help_text="Which frequency limits the retry policy must keep: telemarketing (FL, OK, MD: at most 3 calls "
        "in 24 hours), debt collection (Regulation F: at most 7 calls in 7 days), informational (none).",
    )
    retry_max_attempts = WholeNumberField(
        label="Retry: max attempts", unit="attempts", example="3", min_value=1, max_value=10
    )
    retry_interval_seconds = WholeNumberField(
        label="Retry: interval (seconds)",
        unit="seconds",
        example="900",
        min_value=60,
        max_value=7 * 24 * 3600,
        help_text="At least 60 seconds (CXone's minimum).",
    )
    retry_interval_minutes = WholeNumberField(
        label="Minimum minutes between retries (minimumRetryMinutes)",
        unit="minutes",
        example="15",
        min_value=1,
        max_value=7 * 24 * 60,
        help_text="Whole minutes, as CXone keeps it.",
    )
    retry_restricted_minutes = WholeNumberField(
        label="Retry: restricted calling (minutes)",
        unit="minutes",
        example="1440",
        min_value=0,
        max_value=9999,
        required=False,
        help_text="With the next field: at most that many attempts within this many minutes (0: no limit).",
    )
    retry_restricted_max_attempts = WholeNumberField(
        label="Retry: restricted calling (max attempts)",
        unit="attempts",
        example="3",
        min_value=0,
        max_value=10,
        required=False,
        help_text="CXone's restrictedCallingMaxAttempts (0 to 10; 0: no limit).",
    )
    retry_on_busy = forms.BooleanField(label="Retry on busy", required=False)
    retry_on_no_answer = forms.BooleanField(label="Retry on no answer", required=False)
    agents_required = WholeNumberField(
        label="Agents required", unit="agents", example="5", min_value=1, max_value=10_000
    )

    # What a proposal (scheduling.Proposal) changes → the form field it fills and how.
    PROPOSAL_FIELDS = {
        "max_attempts": ("retry_max_attempts", 1),
        "retry_interval_ms": ("retry_interval_seconds", 1000),
        "restricted_minutes": ("retry_restricted_minutes", 1),
        "restricted_max_attempts": ("retry_restricted_max_attempts", 1),
        "cron_expression": ("cron_expression", None),
        "duration_minutes": ("duration_minutes", 1),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the retry fields the backend writes are shown and read (capabilities.retry_fields): v2 never writes
        # a restricted calling window, the Admin API has no busy / no-answer switches (the draft keeps what it
        # holds of those).
        self.admin_terms = admin_terms()
        self.retry_names = [retry_field_name(name, self.admin_terms) for name in capabilities().retry_fields]
        if self.admin_terms:
            for name, (label, help_text) in ADMIN_RETRY_LABELS.items():
                self.fields[name].label, self.fields[name].help_text = label, help_text
        every_retry_field = {"retry_interval_minutes", *RETRY_FORM_FIELDS.values()}
        for name in every_retry_field - set(self.retry_names):
            del self.fields[name]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help id_{name}_error")
        for name in ("effective_start", "effective_end"):
            self.fields[name].widget.format = "%Y-%m-%d"
            self.fields[name].widget.attrs.update(
                placeholder="YYYY-MM-DD",
                pattern=r"\d{4}-\d{2}-\d{2}",
                inputmode="numeric",
                autocomplete="off",
            )
        self.fields["cron_expression"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["timezone"].widget.attrs.update(autocomplete="off", spellcheck="false", list="zone-names")

    @classmethod
    def bound_over(cls, draft: ScheduleDraft, data) -> DraftForm:
        """The form as posted over `draft`: it knows what was shown, so it knows what the planner changed."""
        return cls(data, initial=cls.initial_from(draft))

    @classmethod
    def initial_from(cls, draft: ScheduleDraft) -> dict:
        zone = zone_or_utc(draft.timezone)
        return {
            "timezone": draft.timezone,
            "cron_expression": draft.cron_expression,
            "duration_minutes": draft.duration_minutes,
            "effective_start": draft.effective_start.astimezone(zone).date(),
            "effective_end": draft.effective_end.astimezone(zone).date(),
            "retry_max_attempts": draft.retry_max_attempts,
            "retry_interval_seconds": draft.retry_interval_ms // 1000,
            "retry_interval_minutes": draft.retry_interval_ms // 60_000,
            "retry_on_busy": draft.retry_on_busy,
            "retry_on_no_answer": draft.retry_on_no_answer,
            "retry_restricted_minutes": draft.retry_restricted_minutes,
            "retry_restricted_max_attempts": draft.retry_restricted_max_attempts,
            "purpose": draft.purpose,
            "agents_required": draft.agents_required,
        }

    @classmethod
    def proposal_values(cls, proposal: Proposal | None) -> dict[str, str]:
        """A finding's proposal as the form fields it fills ({"retry_interval_seconds": "28800"}), for one click;
        empty when a value has no field here."""
        if proposal is None:
            return {}
        fields = dict(cls.PROPOSAL_FIELDS)
        if admin_terms():
            fields["retry_interval_ms"] = ("retry_interval_minutes", 60_000)
        values = {}
        for name, value in proposal.values.items():
            if name not in fields:
                return {}
            field, unit = fields[name]
            values[field] = str(value // unit if unit else value)
        return values

    def retry_fields(self) -> list:
        """The retry fields this backend writes, bound, in the order the editor shows them."""
        return [self[name] for name in self.retry_names]

    def clean_timezone(self):
        raw = self.cleaned_data["timezone"].strip()
        try:
            return canonical_zone(raw)
        except UnknownZone as exc:
            # The message quotes the typed name ("'America/Chicgo' is not ...; did you mean ...?"): keep it whole.
            raise forms.ValidationError(exc.message) from exc
        except (ValueError, KeyError) as exc:
            raise forms.ValidationError(str(exc).strip("'\"")) from exc

    def clean_effective_start(self):
        return self._within_range(self.cleaned_data["effective_start"])

    def clean_effective_end(self):
        return self._within_range(self.cleaned_data["effective_end"])

    @staticmethod
    def _within_range(day):
        # Local midnight of 0001-01-01 or 9999-12-31 in a zone lies outside what a datetime can hold.
        if not FIRST_DATE <= day <= LAST_DATE:
            raise forms.ValidationError(f"Enter a date {DATE_RANGE}.")
        return day

    def clean_cron_expression(self):
        # Collapse runs of spaces so "0  9 * * 1-5" is the same expression everywhere it is shown.
        expression = " ".join(self.cleaned_data["cron_expression"].split())
        # Checked on its own, so a wrong cron is reported even while another field (the zone) is wrong too.
        errors = cron_errors(expression)
        if errors:
            raise forms.ValidationError(errors)
        return expression

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_start"), data.get("effective_end")
        if start and end and start >= end:
            self.add_error("effective_end", "Must be after the effective-from date.")
        if "retry_restricted_minutes" in self.fields:
            minutes = data.get("retry_restricted_minutes") or 0
            attempts = data.get("retry_restricted_max_attempts") or 0
            if (minutes > 0) != (attempts > 0) and "retry_restricted_max_attempts" not in self.errors:
                self.add_error(
                    "retry_restricted_max_attempts",
                    "Give both the minutes and the most attempts within them, or 0 for both (no limit).",
                )
        if all(data.get(name) is not None for name in ("cron_expression", "timezone", "duration_minutes")):
            for error in validate_spec(self.spec()):
                field = error.field if error.field in self.fields else None
                if field and field in self.errors:
                    continue  # already said something more specific about this field
                self.add_error(field, error.message)
        return data

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def spec(self) -> ScheduleSpec:
        data = self.cleaned_data
        start, end = self.effective_period()
        return ScheduleSpec(
            cron_expression=data["cron_expression"],
            timezone=data["timezone"],
            duration_minutes=data["duration_minutes"],
            effective_start=start,
            effective_end=end,
        )

    def effective_period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        data = self.cleaned_data
        zone = zone_or_utc(data.get("timezone"))
        return tuple(
            dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC) if day else None
            for day in (data.get("effective_start"), data.get("effective_end"))
        )

    def draft_fields(self, draft: ScheduleDraft | None = None) -> dict:
        """The cleaned values in the model's terms, for services/workflow.save_draft and the checks.

        With the draft the form was bound over (and `initial=initial_from(draft)`), a field the planner left
        as shown keeps the draft's exact stored value: the form shows the effective period as local dates and
        the retry interval in whole seconds, and saving must not round what CXone sent (a 15:00 start, 90.5 s).
        """
        data = self.cleaned_data
        start, end = self.effective_period()
        values = {
            "timezone": data["timezone"],
            "cron_expression": data["cron_expression"],
            "duration_minutes": data["duration_minutes"],
            "effective_start": start,
            "effective_end": end,
            "retry_max_attempts": data["retry_max_attempts"],
            "purpose": data["purpose"],
            "agents_required": data["agents_required"],
        }
        if self.admin_terms:
            values["retry_interval_ms"] = data["retry_interval_minutes"] * 60_000
            values["retry_restricted_minutes"] = data.get("retry_restricted_minutes") or 0
            values["retry_restricted_max_attempts"] = data.get("retry_restricted_max_attempts") or 0
        else:
            values["retry_interval_ms"] = data["retry_interval_seconds"] * 1000
            values["retry_on_busy"] = data["retry_on_busy"]
            values["retry_on_no_answer"] = data["retry_on_no_answer"]
        if draft is None or not self.initial:
            return values
        interval = {"retry_interval_seconds", "retry_interval_minutes"}
        changed = {"retry_interval_ms" if name in interval else name for name in self.changed_data}
        if "timezone" in changed:  # the dates are read in the zone: a new zone moves the instants
            changed |= {"effective_start", "effective_end"}
        return {name: value if name in changed else getattr(draft, name) for name, value in values.items()}


def admin_terms() -> bool:
    """Whether the backend writes CXone's restricted calling window (the Admin API's retry-settings)."""
    return "retry_restricted_minutes" in capabilities().retry_fields


def retry_field_name(name: str, admin: bool) -> str:
    """The form field of one of the backend's retry fields (the interval in whole minutes under the Admin API)."""
    if name == "retry_interval_ms" and admin:
        return "retry_interval_minutes"
    return RETRY_FORM_FIELDS[name]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Tell the planner what to change.",
        # The field strips whitespace first, so an empty or blank reason fails as "required": say why here.
        error_messages={"required": "Say why, so the planner knows what to change."},
    )
    seen_lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why, so the planner knows what to change.")
        return reason
