"""Sign-on end to end against a real OpenID provider run locally (the node oidc-provider, tests/oidc_support.py):
sign-in, roles from groups, a role taken away, tokens for another application or with a wrong signature refused,
and logout at the provider."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User

from campaigns.models import AuditEntry, SignOnIdentity
from campaigns.sso import discovery
from campaigns.sso.backend import Refused, SignOnBackend
from tests.oidc_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    ROLE_GROUPS,
    Browser,
    Provider,
    require_node,
    tokens_for,
)

REDIRECT = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    provider = Provider(tmp_path_factory.mktemp("idp"))
    provider.set_account("ada", ["cc-planners"], name="Ada Lovelace")
    provider.set_account("sol", ["cc-supervisors", "cc-everyone"])
    provider.set_account("root", ["cc-admins"])
    provider.set_account("nel", ["cc-everyone"])
    provider.start(require_node())
    yield provider
    provider.stop()


@pytest.fixture
def sso(idp, settings, db):
    settings.OIDC_ISSUER = idp.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_SCOPES = "openid email profile groups"
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.AUTHENTICATION_BACKENDS = [
        "campaigns.sso.backend.SignOnBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    discovery.forget()
    yield idp
    discovery.forget()


@pytest.fixture
def person(sso, client):
    b = Browser(sso, client)
    yield b
    b.close()


def test_a_planner_signs_in_with_the_identity_provider_and_lands_where_they_were_going(person, client):
    answer = person.sign_in("ada", next_url="/notifications/")
    assert answer.status_code == 302 and answer["Location"] == "/notifications/"
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.test" and user.first_name == "Ada Lovelace"
    assert not user.has_usable_password()  # the provider is the only way in
    assert {g.name for g in user.groups.all()} == {"planner"}
    assert SignOnIdentity.objects.get(user=user).subject == "ada"
    assert client.get("/drafts/").status_code == 200
    assert client.get("/approvals/").status_code == 403
    entry = AuditEntry.objects.get(action="campaigns.user.roles_changed", object_id=str(user.pk))
    assert entry.changes == {"roles": [[], ["planner"]]}


def test_the_session_lasts_the_configured_maximum_age(person, client, settings):
    settings.OIDC_SESSION_MAX_AGE = 4321
    person.sign_in("ada")
    assert client.session.get_expiry_age() == 4321


def test_the_supervisor_and_admin_groups_grant_their_roles(person, client):
    person.sign_in("sol")
    assert client.get("/approvals/").status_code == 200
    client.post("/logout/")
    person.http.cookies.clear()  # another person at the same desk
    person.sign_in("root")
    root = User.objects.get(username="root")
    assert root.is_staff and root.is_superuser
    assert client.get("/admin/").status_code == 200


def test_someone_whose_groups_grant_no_role_is_not_signed_in_and_told_why(person, client):
    answer = person.sign_in("nel")
    assert answer["Location"] == "/login/"
    page = client.get("/login/")
    assert "none of your groups at the identity provider grants a role" in page.content.decode()
    assert client.get("/").status_code == 302  # still anonymous


def test_a_role_taken_away_at_the_provider_is_gone_at_the_first_request_after_the_maximum_age(
    person, client, sso, settings
):
    settings.OIDC_SESSION_MAX_AGE = 2
    sso.set_account("mo", ["cc-planners"])
    person.sign_in("mo")
    assert client.get("/drafts/").status_code == 200
    sso.set_account("mo", ["cc-managers"])  # the directory moves mo from planning to management
    assert client.get("/drafts/").status_code == 200  # within the session's age nothing changes yet
    time.sleep(2.5)
    assert client.get("/drafts/")["Location"].startswith("/login/")  # the session is over
    person.sign_in("mo")  # the provider's own session: no password asked
    mo = User.objects.get(username="mo")
    assert {g.name for g in mo.groups.all()} == {"manager"}
    assert client.get("/drafts/").status_code == 403
    assert client.get("/dashboard/").status_code == 200


def test_a_leaver_removed_from_the_directory_cannot_sign_in_again(person, client, sso, settings):
    sso.set_account("lee", ["cc-planners"])
    person.sign_in("lee")
    client.post("/logout/")
    sso.remove_account("lee")
    page = person.to_provider()  # the provider's session is still there; the person is not
    assert page.status_code == 200, page.text
    refused = person.sign_in_at_provider(page, "lee")
    assert "Unknown user name or wrong password" in refused.text
    assert client.get("/").status_code == 302


def test_a_code_issued_to_another_application_is_refused(person, client):
    start = client.get("/oidc/authenticate/")
    ours = dict(p.split("=", 1) for p in start["Location"].split("?", 1)[1].split("&"))
    # The person signs in to another application; its code reaches our callback with our state.
    other = f"/auth?client_id={OTHER_CLIENT_ID}&response_type=code&scope=openid&redirect_uri={REDIRECT}"
    page = person.follow_at_provider(person.http.get(other + "&state=x" + "&nonce=y"))
    location = person.sign_in_at_provider(page, "ada")
    code = location.split("code=", 1)[1].split("&", 1)[0]
    answer = client.get(f"/oidc/callback/?code={code}&state={ours['state']}")
    assert answer["Location"] == "/login/"
    assert "did not answer as expected" in client.get("/login/").content.decode()
    assert not User.objects.filter(username="ada").exists()


def test_an_id_token_issued_to_another_application_is_refused(sso):
    theirs = tokens_for(sso, "ada", OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, REDIRECT)["id_token"]
    with pytest.raises(Refused, match="issued to another application"):
        SignOnBackend().verify_token(theirs, nonce="n" * 16)
    ours = tokens_for(sso, "ada", CLIENT_ID, CLIENT_SECRET, REDIRECT)["id_token"]
    assert SignOnBackend().verify_token(ours, nonce="n" * 16)["aud"] == CLIENT_ID


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_an_id_token_whose_signature_does_not_match_the_providers_key_is_refused(sso):
    token = tokens_for(sso, "ada", CLIENT_ID, CLIENT_SECRET, REDIRECT)["id_token"]
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    altered = f"{header}.{b64({**claims, 'sub': 'root'})}.{signature}"  # a claim changed on the way
    with pytest.raises(Refused, match="signature does not match"):
        SignOnBackend().verify_token(altered, nonce="n" * 16)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # the right kid, another key
    forged = jwt.encode(claims, forger, algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]})
    with pytest.raises(Refused, match="signature does not match"):
        SignOnBackend().verify_token(forged, nonce="n" * 16)


def test_an_id_token_signed_with_a_shared_secret_or_not_at_all_is_refused(sso):
    claims = jwt.decode(tokens_for(sso, "ada", CLIENT_ID, CLIENT_SECRET, REDIRECT)["id_token"],
                        options={"verify_signature": False})  # fmt: skip
    with_secret = jwt.encode(claims, CLIENT_SECRET, algorithm="HS256", headers={"kid": "planner-demo"})
    with pytest.raises(Refused, match="'HS256', which is not allowed"):
        SignOnBackend().verify_token(with_secret, nonce="n" * 16)
    unsigned = f"{b64({'alg': 'none', 'kid': 'planner-demo'})}.{b64(claims)}."
    with pytest.raises(Refused, match="'none', which is not allowed"):
        SignOnBackend().verify_token(unsigned, nonce="n" * 16)


def test_logging_out_ends_the_session_here_and_at_the_provider(person, client):
    person.sign_in("ada")
    answer = client.post("/logout/")
    location = answer["Location"]
    assert location.startswith(person.provider.issuer + "/session/end?") and "id_token_hint=" in location
    assert client.get("/").status_code == 302  # our session is over
    back = person.sign_out_at_provider(location)
    assert back == "http://testserver/login/"
    page = person.to_provider()  # and the provider asks for the password again
    assert not isinstance(page, str) and "Sign in" in page.text
