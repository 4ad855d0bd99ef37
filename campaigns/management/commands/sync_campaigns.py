"""Mirror CXone's campaigns, skills, DNC lists and contact lists into the planner's database, once."""

import time

from django.core.management.base import BaseCommand, CommandError

from campaigns.cxone.errors import CXoneError, TransportError
from campaigns.services.sync import sync_campaigns


class Command(BaseCommand):
    help = (
        "Sync campaigns from CXone (all pages): prints created / updated / unchanged / missing. "
        "Campaigns gone from CXone are marked missing, never deleted; "
        "drafts CXone has moved past are marked stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="Keep trying for this long while CXone cannot be reached (e.g. the sandbox is still starting).",
        )

    def handle(self, *args, **options):
        deadline = time.monotonic() + max(options["wait"], 0)
        while True:
            try:
                result = sync_campaigns()
                break
            except TransportError as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"CXone sync failed ({type(exc).__name__}): {exc}") from exc
                self.stderr.write(f"CXone not reachable yet ({exc}); trying again")
                time.sleep(1)
            except CXoneError as exc:
                raise CommandError(f"CXone sync failed ({type(exc).__name__}): {exc}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.lists_not_found:
            self.stdout.write(self.style.WARNING(f"not found in CXone: {', '.join(result.lists_not_found)}"))
