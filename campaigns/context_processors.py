from campaigns import roles


def navigation(request):
    """What the navigation may offer this user: links appear only where the role may go."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": roles.role_of(user),
        "can_edit_drafts": user.has_perm(roles.EDIT_DRAFTS),
        "can_review_drafts": user.has_perm(roles.REVIEW_DRAFTS),
        "can_view_dashboards": user.has_perm(roles.VIEW_DASHBOARDS),
    }
