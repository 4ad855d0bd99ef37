"""A real OpenID provider for sign-on tests: scripts/oidc-provider/server.mjs (the certified node oidc-provider)
started on a free port with accounts and clients written by the test, stopped by its PID; and a browser-like
walk through its sign-in that hands the code to our callback through Django's test client."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_DIR = ROOT / "scripts" / "oidc-provider"
CLIENT_ID = "planner"
CLIENT_SECRET = "test-oidc-secret-long-enough-for-hs256"
OTHER_CLIENT_ID = "other-app"
OTHER_CLIENT_SECRET = "other-app-secret"
PASSWORD = "idp-pass-2026"
ROLE_GROUPS = {
    "planner": ("cc-planners",),
    "supervisor": ("cc-supervisors",),
    "manager": ("cc-managers",),
    "admin": ("cc-admins",),
}


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the sign-on tests run the node oidc-provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("scripts/oidc-provider/node_modules is missing: `make install` installs it (npm ci)")
    return node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = folder / "accounts.json"
        self.clients_file = folder / "clients.json"
        self.process: subprocess.Popen | None = None
        self.accounts: dict = {}

    def set_account(self, login: str, groups: list[str], *, email: str | None = None, name: str = "") -> None:
        """Add or change a person in the directory (read again by the provider at each sign-in)."""
        self.accounts[login] = {
            "password": PASSWORD,
            "email": email if email is not None else f"{login}@example.test",
            "name": name or login.replace("-", " ").title(),
            "groups": groups,
        }
        self.accounts_file.write_text(json.dumps(self.accounts))

    def remove_account(self, login: str) -> None:
        self.accounts.pop(login, None)
        self.accounts_file.write_text(json.dumps(self.accounts))

    def start(self, node: str, site: str = "http://testserver") -> Provider:
        """Start the provider, with our site (`site`: Django's test client, or a live server) as its client."""
        self.accounts_file.write_text(json.dumps(self.accounts))
        clients = [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "client_name": "Campaign Schedule Planner",
             "redirect_uris": [f"{site}/oidc/callback/"], "post_logout_redirect_uris": [f"{site}/login/"]},
            {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET, "client_name": "Another app",
             "redirect_uris": [f"{site}/oidc/callback/"]},
        ]  # fmt: skip
        self.clients_file.write_text(json.dumps(clients))
        log = (self.folder / "provider.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own script, the machine's node)
            [node, str(PROVIDER_DIR / "server.mjs"), "--port", str(self.port), "--accounts",
             str(self.accounts_file), "--clients", str(self.clients_file)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the OpenID provider did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)  # its own group (start_new_session): only what we started
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def log(self) -> str:
        path = self.folder / "provider.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


class Browser:
    """A person's browser at the provider (its cookies: the provider's session), handing codes to our site
    through Django's test client (whose cookies are our session)."""

    def __init__(self, provider: Provider, client):
        self.provider = provider
        self.client = client
        self.http = httpx.Client(base_url=provider.issuer, follow_redirects=False, timeout=10)

    def close(self) -> None:
        self.http.close()

    def follow_at_provider(self, response: httpx.Response) -> httpx.Response | str:
        """Follow the provider's redirects; the URL it sends back to our site, or its page to fill in."""
        for _ in range(10):
            if response.status_code not in (302, 303):
                return response
            location = response.headers["location"]
            if urlsplit(location).hostname == "testserver":
                return location
            response = self.http.get(location)
        raise AssertionError("the provider redirected too often")

    def to_provider(self, next_url: str = "") -> httpx.Response | str:
        start = self.client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302, start
        assert start["Location"].startswith(self.provider.issuer + "/auth"), start["Location"]
        return self.follow_at_provider(self.http.get(start["Location"]))

    def sign_in_at_provider(self, page: httpx.Response, login: str, password: str = PASSWORD):
        action = page.text.split('action="', 1)[1].split('"', 1)[0]
        return self.follow_at_provider(self.http.post(action, data={"login": login, "password": password}))

    def back_to_site(self, location: str):
        parts = urlsplit(location)
        return self.client.get(f"{parts.path}?{parts.query}")

    def sign_in(self, login: str, *, next_url: str = "", password: str = PASSWORD):
        """The whole walk: our site → the provider's sign-in (or its session, if still signed in there) → our
        callback. Django's answer to the callback."""
        at = self.to_provider(next_url)
        if isinstance(at, httpx.Response):
            assert "Sign in" in at.text, at.text
            at = self.sign_in_at_provider(at, login, password)
        assert isinstance(at, str), at.text
        return self.back_to_site(at)

    def sign_out_at_provider(self, location: str) -> httpx.Response:
        """The provider's logout page (RP-initiated logout): confirm it, as the person would."""
        page = self.http.get(location)
        assert page.status_code == 200, page.text
        xsrf = page.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
        action = page.text.split('action="', 1)[1].split('"', 1)[0]
        return self.follow_at_provider(self.http.post(action, data={"xsrf": xsrf, "logout": "yes"}))


def tokens_for(provider: Provider, login: str, client_id: str, secret: str, redirect_uri: str) -> dict:
    """A real token response of the provider for `client_id` (the code flow walked by hand, no PKCE: the
    provider requires it of public clients only)."""
    http = httpx.Client(base_url=provider.issuer, follow_redirects=False, timeout=10)
    try:
        params = {"client_id": client_id, "response_type": "code", "scope": "openid email profile groups",
                  "redirect_uri": redirect_uri, "state": "s" * 16, "nonce": "n" * 16}  # fmt: skip
        response = http.get("/auth", params=params)
        for _ in range(10):
            if response.status_code in (302, 303):
                location = response.headers["location"]
                if location.startswith(redirect_uri):
                    break
                response = http.get(location)
            else:
                action = response.text.split('action="', 1)[1].split('"', 1)[0]
                response = http.post(action, data={"login": login, "password": PASSWORD})
        code = dict(part.split("=", 1) for part in urlsplit(location).query.split("&"))["code"]
        answer = http.post("/token", data={"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": redirect_uri}, auth=(client_id, secret))  # fmt: skip
        assert answer.status_code == 200, answer.text
        return answer.json()
    finally:
        http.close()
