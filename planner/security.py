"""Content-Security-Policy on every response (Django 5.2 has none of its own; django-csp would be one more
dependency for one header). The policy is settings.CONTENT_SECURITY_POLICY, a dict of directive -> sources."""

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # A view may set its own (stricter) policy; the admin's pages get the same one as ours.
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response
