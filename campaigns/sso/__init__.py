"""Sign-on through the company's identity provider (OpenID Connect), on mozilla-django-oidc:

    discovery   the provider's endpoints and keys, read from its discovery document (timeout, typed errors)
    backend     SignOnBackend: the code flow's tokens checked (signature, issuer, audience, expiry, nonce),
                the person and their roles from the claims (services/sign_on.py)
    views       starting the flow, its callback (the session's maximum age), and logging out at the provider

Nothing here is used unless OIDC_ISSUER is set.
"""
