"""Who signed in through the company's identity provider (OpenID Connect)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignOnIdentity(models.Model):
    """A person as the identity provider knows them (issuer + subject, which never change), linked to the user
    they sign in as. The user name may change at the provider; the link does not."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "sign-on identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_identity")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
