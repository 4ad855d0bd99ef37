from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaign schedules"

    def ready(self) -> None:
        # Django's place to register system checks: the checks reach models, which exist only from here on.
        from django_q.signals import post_spawn

        from campaigns import checks, notify_checks  # noqa: F401
        from campaigns.services import leases

        # A qcluster worker's leases name it as one, so a cluster's missing heartbeats free them (takeover.py).
        post_spawn.connect(leases.mark_cluster_worker, dispatch_uid="planner-cluster-worker")
