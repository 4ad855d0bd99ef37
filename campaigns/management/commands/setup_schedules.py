"""Create (or correct) the django-q2 schedules the product needs. Safe to run on every deploy."""

from django.core.management.base import BaseCommand

from campaigns.periodic_tasks import ensure_schedules


class Command(BaseCommand):
    help = (
        "Create or correct the django-q2 schedules (campaign sync every 5 minutes, activation sweeper every "
        "minute). Idempotent."
    )

    def handle(self, *args, **options):
        for name, outcome in ensure_schedules().items():
            self.stdout.write(f"{name}: {outcome}")
