"""SignOnBackend: mozilla-django-oidc's authorization-code flow, with what it leaves to us.

The library exchanges the code (PKCE, client_secret_basic), fetches the provider's keys and userinfo, and checks
the id_token's signature and nonce. We add: the endpoints from discovery (never a request when Django merely
makes a backend, which it does for every password login and every request's user); the id_token's issuer,
audience (our client id; `azp` when there are several), expiry and issue time; the userinfo's subject equal to
the id_token's; and the person and their roles from the claims (services/sign_on.py). A refusal never raises out
of `authenticate`: it is logged, said on the login page, and the person is not signed in.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from campaigns.services.sign_on import NoRole, roles_from_groups, sign_on
from campaigns.sso import discovery
from campaigns.sso.names import library_setting

log = logging.getLogger("planner.security.sign_on")
LEEWAY_SECONDS = 60  # clocks of the provider and of our hosts differ a little


class Refused(Exception):
    """The provider's answer does not sign this person in; `reason` says why, for the login page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SignOnBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # No network here, and no call to the library's __init__, which reads the endpoints from settings:
        # they come from the provider's discovery document, read when a sign-in needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"  # set per token from its header, once checked against the allowed ones
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    get_settings = staticmethod(library_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 (the library's name)
        return discovery.provider().token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return discovery.provider().userinfo_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return discovery.provider().jwks_uri

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None  # a password login, or no sign-on answer: not ours
        try:
            return super().authenticate(request, **kwargs)
        except NoRole as exc:
            refuse(request, f"{exc.user.get_username()}: none of your groups at the identity provider grants a "
                            "role in the planner. Ask for one, then sign in again.")  # fmt: skip
        except Refused as exc:
            refuse(request, exc.reason)
        except discovery.ProviderUnavailable as exc:
            refuse(request, f"The identity provider cannot be reached ({exc}). Try again in a minute.")
        except requests.RequestException as exc:
            refuse(request, f"The identity provider did not answer as expected ({type(exc).__name__}).")
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            refuse(request, f"The identity provider's answer was refused ({exc}).")
        return None

    def verify_token(self, token, **kwargs):
        """The library's check of signature and nonce, after ours of the header: an allowed algorithm (never
        "none", never a key we would have to guess) and a key id to look the key up by."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Refused(f"The id_token is not a JWT ({exc}).") from exc
        if header.get("alg") not in settings.OIDC_SIGNING_ALGORITHMS:
            raise Refused(f"The id_token is signed with {header.get('alg')!r}, which is not allowed.")
        if not header.get("kid"):
            raise Refused("The id_token names no key (kid).")
        # The library takes the key from the provider's JWKS for RS*/ES* (planner.E025 allows no other), matched
        # by key id and algorithm: never our client secret, whatever the header says.
        self.OIDC_RP_SIGN_ALGO = header["alg"]
        return super().verify_token(token, **kwargs)

    def get_payload_data(self, token, key):
        """Signature, issuer, audience, expiry and issue time of the id_token (the library checks the signature
        only)."""
        alg = jwt.get_unverified_header(token).get("alg")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery.provider().issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidAudienceError as exc:
            raise Refused(f"The id_token was issued to another application ({exc}).") from exc
        except jwt.InvalidSignatureError as exc:
            raise Refused("The id_token's signature does not match the identity provider's key.") from exc
        except jwt.PyJWTError as exc:
            raise Refused(f"The id_token was refused: {exc}.") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise Refused("The id_token names several audiences and was not issued to us (azp).")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims over the id_token's; both must be about the same subject."""
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise Refused("The identity provider's userinfo is about someone else than its id_token.")
        return {**payload, **info}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        groups = groups_of(claims.get(settings.OIDC_GROUPS_CLAIM))
        granted = roles_from_groups(groups, settings.OIDC_ROLE_GROUPS)
        username = claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email") or payload["sub"]
        user = sign_on(
            issuer=payload["iss"], subject=str(payload["sub"]), claims=claims, username=str(username),
            granted=granted,
        )  # fmt: skip
        log.info("signed on: %s (roles %s)", user.get_username(), ", ".join(sorted(granted)))
        return user

    def get_user(self, user_id):
        # Django's: an inactive user (a leaver switched off here) is signed out at their next request.
        return ModelBackend.get_user(self, user_id)


def groups_of(value) -> list[str]:
    """The groups claim as a list of names: a list, or a single name (which may hold spaces)."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [value] if isinstance(value, str) and value else []


def refuse(request, reason: str) -> None:
    log.warning("sign-on refused: %s", reason)
    request.sign_on_refusal = reason
