"""Create the demo users planner / supervisor / manager (DEBUG only) so a new user can log in at once."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from campaigns import roles

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = {
    "planner": roles.PLANNER,
    "planner2": roles.PLANNER,
    "supervisor": roles.SUPERVISOR,
    "supervisor2": roles.SUPERVISOR,
    "manager": roles.MANAGER,
}


class Command(BaseCommand):
    help = "Create demo users (one per role, password in README.md). Refuses to run with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates users with a published password: run it only with DEBUG=1.")
        User = get_user_model()
        for username, role in DEMO_USERS.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@demo.test"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role)])
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({role})")
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@demo.test", "is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        self.stdout.write(f"{'created' if created else 'kept'} admin (Django admin)")
