"""The sign-on flow's two views (mozilla-django-oidc's, with the provider's endpoints from discovery) and the
way out: logging out here and at the provider (RP-initiated logout)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from campaigns.services.notifications import preferences
from campaigns.sso import discovery
from campaigns.sso.names import library_setting
from campaigns.viewer import COOKIE


class SignOnStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(library_setting)

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the library's reads the endpoint from settings; ours is discovered
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery.provider().authorization_endpoint
        except discovery.ProviderUnavailable as exc:
            messages.error(request, f"Signing in with {settings.OIDC_PROVIDER_NAME} cannot start: {exc}.")
            return redirect("login")
        return super().get(request)


class SignOnCallback(OIDCAuthenticationCallbackView):
    """The provider's answer: the backend checks it and finds the person; a session signed on this way ends after
    OIDC_SESSION_MAX_AGE, when the person signs in again and their roles follow their groups once more."""

    get_settings = staticmethod(library_setting)

    def login_success(self):
        response = super().login_success()
        self.request.session.set_expiry(settings.OIDC_SESSION_MAX_AGE)
        preferences.remember_zone(self.user, self.request.COOKIES.get(COOKIE, ""))
        return response

    def login_failure(self):
        reason = getattr(self.request, "sign_on_refusal", "")
        if not reason and self.request.GET.get("error"):
            said = self.request.GET.get("error_description") or self.request.GET["error"]
            reason = f"The identity provider said: {said[:200]}"
        messages.error(self.request, f"You are not signed in. {reason}".strip())
        return redirect("login")


def end_session_url(request, id_token: str) -> str | None:
    """Where the browser goes to end the provider's session too, or None when the provider has no such endpoint
    or cannot be reached (then only our session ends)."""
    try:
        endpoint = discovery.provider().end_session_endpoint
    except discovery.ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": settings.OIDC_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def sign_out(request):
    """Log out here; a session signed on through the provider is ended there too."""
    id_token = request.session.get("oidc_id_token") if settings.OIDC_ISSUER else None
    logout(request)
    there = end_session_url(request, id_token) if id_token else None
    return redirect(there or "login")
