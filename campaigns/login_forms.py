"""The login forms (ours and the admin's) with login throttling: campaigns/services/login_throttle.py."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from campaigns.services import login_throttle


class ThrottledLoginMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = login_throttle.client_address(self.request) if self.request else None
        throttled = login_throttle.wait_for(username, address)
        if throttled:
            login_throttle.record_refusal(username, address, throttled)
            raise forms.ValidationError(
                "Too many failed log-ins. Wait %(seconds)d seconds, then try again.",
                code="throttled",
                params={"seconds": throttled.seconds},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if any(error.code == "invalid_login" for error in exc.error_list):
                login_throttle.record_failure(username, address)
            raise
        login_throttle.record_success(username, address)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
