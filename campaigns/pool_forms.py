"""The Pools page's form: a pool's name, usual agents, weekly staffing and who draws on it. The service checks
every value again (services/pools/editing.py); this form gives each error its field."""

from __future__ import annotations

from django import forms

from campaigns.forms import WholeNumberField
from campaigns.models import Campaign, CapacityPool
from campaigns.scheduling.staffing import MAX_AGENTS
from campaigns.services.pools.editing import PoolValues


class PoolForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="What planners call it, e.g. “Evening team”.")
    agents = WholeNumberField(
        unit="agents",
        example="25",
        label="Usual agents",
        min_value=0,
        max_value=MAX_AGENTS,
        help_text="How many agents the pool has at any hour the weekly staffing does not name.",
    )
    zone = forms.CharField(
        label="Time zone of the hours",
        max_length=64,
        help_text="IANA name, e.g. America/Chicago: the staffing's hours are on this wall clock.",
    )
    staffing = forms.CharField(
        label="Weekly staffing (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text="One line per stretch: days, whole hours, agents — “Mon-Fri 08:00-18:00 25”, “Sat 09-13 6”, "
        "“Weekends 00:00-24:00 0”. Leave empty for the same agents at every hour.",
    )
    campaigns = forms.MultipleChoiceField(
        label="Campaigns drawing on it",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Ctrl or ⌘ + click to choose several. A campaign draws on one pool.",
    )
    skills = forms.MultipleChoiceField(
        label="Skills drawing on it (all their campaigns)",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, members: tuple[list[int], list[int]] = ([], []), **kwargs):
        super().__init__(*args, **kwargs)
        campaigns, skills = members
        rows = (
            Campaign.objects.filter(missing_since__isnull=True)
            | Campaign.objects.filter(pk__in=campaigns)  # a member gone from CXone stays choosable, and says so
        ).select_related("pool")
        self.fields["campaigns"].choices = [
            (str(c.pk), f"{c.name} ({c.cxone_id}{' · ' + c.pool.name if c.pool else ''}"
             f"{' · gone from CXone' if c.is_missing else ''})")
            for c in rows.order_by("name", "cxone_id")
        ]  # fmt: skip
        self.fields["skills"].choices = [
            (str(s.pk), f"{s.name} ({s.cxone_skill_id})") for s in CapacityPool.objects.order_by("name")
        ]

    def values(self) -> PoolValues:
        data = self.cleaned_data
        return PoolValues(
            name=data["name"],
            agents=data["agents"],
            zone=data["zone"].strip(),
            staffing=data.get("staffing") or "",
            campaigns=[int(pk) for pk in data.get("campaigns") or []],
            skills=[int(pk) for pk in data.get("skills") or []],
        )
