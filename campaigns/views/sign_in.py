"""Signing in and out: the login page (local passwords while PASSWORD_LOGIN is on, and the company's identity
provider when OIDC_ISSUER is set), the admin's login (the same rule), logging out (here, and at the provider for
a session signed on there)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaigns.login_forms import LoginForm
from campaigns.services.notifications import preferences
from campaigns.sso import views as sso_views
from campaigns.viewer import COOKIE

PASSWORDS_OFF = "Passwords are switched off here: sign in with {provider}."


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = context.get("next") or ""
        context.update(
            password_login=settings.PASSWORD_LOGIN,
            sign_on=bool(settings.OIDC_ISSUER),
            provider_name=settings.OIDC_PROVIDER_NAME,
            sign_on_url=reverse("oidc_authentication_init") + (f"?{urlencode({'next': next_url})}" if next_url
                                                                 else ""),
        )  # fmt: skip
        return context

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, PASSWORDS_OFF.format(provider=settings.OIDC_PROVIDER_NAME))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        preferences.remember_zone(form.get_user(), self.request.COOKIES.get(COOKIE, ""))
        return response


login = login_not_required(LoginView.as_view())


@login_not_required
def admin_login(request, extra_context=None):
    """The admin's login follows the same rule: with passwords switched off it is our login page (the identity
    provider), back to the admin after."""
    if settings.PASSWORD_LOGIN:
        return admin.site.login(request, extra_context)
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


@require_POST
@login_not_required
def logout(request):
    return sso_views.sign_out(request)
