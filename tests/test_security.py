"""planner/security.py: the Content-Security-Policy header; with sign-on, the identity provider's origin may receive
the Log out form's redirect (form-action), and nothing else is widened."""

from planner.security import current_policy, policy_header


def test_without_sign_on_forms_go_to_our_own_origin_only(settings):
    settings.OIDC_ISSUER = None
    assert current_policy()["form-action"] == ["'self'"]


def test_with_sign_on_the_providers_origin_is_a_form_action_and_nothing_else_changes(settings):
    settings.OIDC_ISSUER = "https://login.example.test/realms/contact-centre/"
    policy = current_policy()
    assert policy["form-action"] == ["'self'", "https://login.example.test"]
    assert {k: v for k, v in policy.items() if k != "form-action"} == {
        k: v for k, v in settings.CONTENT_SECURITY_POLICY.items() if k != "form-action"
    }
    assert "form-action 'self' https://login.example.test" in policy_header(policy)


def test_every_response_carries_the_policy_as_the_settings_say_now(client, settings, db):
    settings.OIDC_ISSUER = "https://id.example.test"
    assert "form-action 'self' https://id.example.test;" in client.get("/login/")["Content-Security-Policy"]
