"""The three roles of ARCHITECTURE.md as Django groups, and what each may do.

The groups and their permissions are created by a data migration (0002_roles); views check permissions, never
group names, so an admin can compose custom roles from the same permissions.
"""

PLANNER = "planner"
SUPERVISOR = "supervisor"
MANAGER = "manager"

READ_PERMISSIONS = [
    "campaigns.view_campaign",
    "campaigns.view_capacitypool",
    "campaigns.view_scheduledraft",
    "campaigns.view_activation",
    "campaigns.view_webhookdelivery",
    "campaigns.view_auditentry",
]
PLANNER_PERMISSIONS = READ_PERMISSIONS + [
    "campaigns.add_scheduledraft",
    "campaigns.change_scheduledraft",
    "campaigns.submit_scheduledraft",
]
ROLE_PERMISSIONS = {
    PLANNER: PLANNER_PERMISSIONS,
    SUPERVISOR: PLANNER_PERMISSIONS + ["campaigns.review_scheduledraft", "campaigns.redeliver_webhookdelivery"],
    MANAGER: READ_PERMISSIONS + ["campaigns.view_dashboards"],
}

EDIT_DRAFTS = "campaigns.change_scheduledraft"
REVIEW_DRAFTS = "campaigns.review_scheduledraft"
VIEW_DASHBOARDS = "campaigns.view_dashboards"
VIEW_CAMPAIGNS = "campaigns.view_campaign"
REDELIVER_WEBHOOKS = "campaigns.redeliver_webhookdelivery"


def can_view_webhooks(user) -> bool:
    """The Webhooks page is for supervisors (who can redeliver), managers (who watch delivery health) and
    admins; planners see an activation's delivery status where the activation is shown."""
    return user.has_perm(REDELIVER_WEBHOOKS) or (
        user.has_perm(VIEW_DASHBOARDS) and user.has_perm("campaigns.view_webhookdelivery")
    )


def role_of(user) -> str | None:
    """The most capable role the user holds, for landing pages and the navigation."""
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    for role in (SUPERVISOR, PLANNER, MANAGER):
        if role in names:
            return role
    return "admin" if user.is_superuser else None


def install_roles(group_model, permission_model) -> None:
    """Create or correct the three groups and their permissions. Used by the data migration (with historical
    models) and by tests whose database was flushed (transactional tests drop migration-made rows)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        codenames = [p.split(".", 1)[1] for p in perms]
        found = list(
            permission_model.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"permissions missing for role {role}: {sorted(missing)}")
        group.permissions.set(found)
