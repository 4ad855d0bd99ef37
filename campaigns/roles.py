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
    SUPERVISOR: PLANNER_PERMISSIONS + ["campaigns.review_scheduledraft"],
    MANAGER: READ_PERMISSIONS + ["campaigns.view_dashboards"],
}

EDIT_DRAFTS = "campaigns.change_scheduledraft"
REVIEW_DRAFTS = "campaigns.review_scheduledraft"
VIEW_DASHBOARDS = "campaigns.view_dashboards"
VIEW_CAMPAIGNS = "campaigns.view_campaign"


def role_of(user) -> str | None:
    """The most capable role the user holds, for landing pages and the navigation."""
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    for role in (SUPERVISOR, PLANNER, MANAGER):
        if role in names:
            return role
    return "admin" if user.is_superuser else None
