"""Mirror CXone's campaigns, skills, DNC lists and contact lists into the planner's database, once."""

import argparse
import math
import time

from django.core.management.base import BaseCommand, CommandError

from campaigns.cxone.errors import CXoneError, TransportError
from campaigns.periodic_tasks import enqueue_sync
from campaigns.services.sync.mirror import sync_campaigns

MAX_WAIT_SECONDS = 86400


def wait_seconds(text: str) -> float:
    """--wait: a finite number of seconds ("nan" would never run out, "inf" never either)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= MAX_WAIT_SECONDS:  # false for nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to {MAX_WAIT_SECONDS}")
    return value


class Command(BaseCommand):
    help = (
        "Sync campaigns from CXone (all pages): prints created / updated / unchanged / missing. "
        "Campaigns gone from CXone are marked missing, never deleted; "
        "drafts CXone has moved past are marked stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=wait_seconds,
            default=0,
            metavar="SECONDS",
            help="Keep trying for this long while CXone cannot be reached (e.g. the sandbox is still starting).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read CXone's whole list even where only what changed since the last sync would be read.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one sync for the workers (qcluster) and return at once, without calling CXone here.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            self.stdout.write(f"sync queued for the workers (task {enqueue_sync()})")
            return
        deadline = time.monotonic() + options["wait"]
        while True:
            try:
                result = sync_campaigns(full=True if options["full"] else None)
                break
            except TransportError as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"CXone sync failed ({type(exc).__name__}): {exc}") from exc
                self.stderr.write(f"CXone not reachable yet ({exc}); trying again")
                time.sleep(1)
            except CXoneError as exc:
                raise CommandError(f"CXone sync failed ({type(exc).__name__}): {exc}") from exc
        if result.skipped:
            self.stdout.write(self.style.WARNING(result.summary()))
            return
        self.stdout.write(self.style.SUCCESS(result.summary()))
        for campaign_id, reason in sorted(result.failed.items()):
            self.stdout.write(self.style.WARNING(f"not written, kept as it was: {campaign_id}: {reason}"))
        for problem in result.problems:
            self.stdout.write(self.style.WARNING(f"not read: {problem}"))
        if result.lists_not_found:
            self.stdout.write(self.style.WARNING(f"not found in CXone: {', '.join(result.lists_not_found)}"))
