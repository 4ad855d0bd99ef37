"""Content-Security-Policy on every response (Django 5.2 has none of its own; django-csp would be one more
dependency for one header). The policy is settings.CONTENT_SECURITY_POLICY, a dict of directive -> sources.
And Cache-Control: private, no-store on every page we make."""

from urllib.parse import urlsplit

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


def current_policy() -> dict[str, list[str]]:
    """The configured policy, with the identity provider's origin as a form-action when sign-on is on: the Log out
    form posts to /logout/, which redirects to the provider's end-session endpoint, and browsers hold a form's
    redirects to form-action too."""
    policy = settings.CONTENT_SECURITY_POLICY
    issuer = getattr(settings, "OIDC_ISSUER", None)
    if not issuer or "form-action" not in policy:
        return policy
    parts = urlsplit(issuer)
    return {**policy, "form-action": [*policy["form-action"], f"{parts.scheme}://{parts.netloc}"]}


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view may set its own (stricter) policy; the admin's pages get the same one as ours. Built per response
        # (a few string joins) so that it always says what the settings say.
        header = policy_header(current_policy())
        if header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = header
        return response


class PrivatePagesMiddleware:
    """Cache-Control: private, no-store on every answer that did not choose its own: the pages show campaigns,
    people's drafts and the audit trail, the log-in page carries a CSRF token, and none of it may be kept by a
    shared cache or on disk. Static files never reach this (WhiteNoise answers them first, cached for a year);
    /healthz and /metrics choose their own (never_cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
