from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaign schedules"

    def ready(self) -> None:
        # Django's place to register system checks: the checks reach models, which exist only from here on.
        from campaigns import checks, notify_checks  # noqa: F401
