"""The blackout calendar pages' forms. The service reads the rules again (services/blackouts/editing.py); the
form gives each error its field."""

from __future__ import annotations

from django import forms

from campaigns.models import AgentPool, Campaign

RULES_HELP = (
    "One day per line, “when: name” — “2026-12-24: Company closure”, “2026-12-24 to 2027-01-01: Winter closure”, "
    "“25 December observed: Christmas Day”, “fourth Thursday of November: US Thanksgiving”, "
    "“last Monday of May: Memorial Day”, “Easter - 2: Good Friday”, “holidays of us-pa”."
)


class CalendarForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, help_text="What planners call it, e.g. “Company closures”."
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rules = forms.CharField(
        label="Days",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=RULES_HELP,
    )

    def __init__(self, *args, renaming: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not renaming:  # a revision changes the days, not the calendar's name
            del self.fields["name"]


class AttachForm(forms.Form):
    campaigns = forms.MultipleChoiceField(
        label="Campaigns",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Ctrl or ⌘ + click to choose several.",
    )
    pools = forms.MultipleChoiceField(
        label="Pools (every campaign drawing on them)",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].choices = [
            (str(pk), name)
            for pk, name in Campaign.objects.filter(missing_since__isnull=True)
            .order_by("name")
            .values_list("pk", "name")
        ]
        self.fields["pools"].choices = [
            (str(pk), name) for pk, name in AgentPool.objects.values_list("pk", "name")
        ]

    def ids(self, name: str) -> list[int]:
        return [int(value) for value in self.cleaned_data[name]]
