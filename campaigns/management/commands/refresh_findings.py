"""Compute and store the findings of every campaign's current schedule (what the campaign list shows).

Sync keeps them current on its own; run this after a deploy that changes the calling-hours rules, so that the
first visitor of the campaign list does not wait for them.
"""

from django.core.management.base import BaseCommand

from campaigns.services.drafts.checks import campaign_findings


class Command(BaseCommand):
    help = (
        "Check every campaign's current schedule over its whole effective period and store the findings the "
        "campaign list shows. --outdated: only those whose schedule, contacts, DNC setup or rules changed, or "
        "that are older than a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outdated", action="store_true", help="only the outdated ones")

    def handle(self, *args, **options):
        count = campaign_findings.refresh_outdated() if options["outdated"] else campaign_findings.refresh()
        self.stdout.write(self.style.SUCCESS(f"stored the findings of {count} campaign{'s' * (count != 1)}"))
