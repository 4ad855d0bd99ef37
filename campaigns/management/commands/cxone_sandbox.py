"""Serve the CXone sandbox (a stateful simulator of the Outbound API v2, or with --api admin of a real
tenant's Admin API) on a local port."""

from __future__ import annotations

import argparse
import ipaddress

from django.core.management.base import BaseCommand, CommandError

from campaigns.sandbox import SandboxConfig, create_app, parse_range, serve


def _range(value: str) -> tuple[float, float]:
    try:
        return parse_range(value)
    except ValueError as exc:
        raise CommandError(f"{value!r}: {exc}") from exc


def port_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return int(text)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_every_interface(host: str) -> bool:
    try:
        return host == "" or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


class Command(BaseCommand):
    # The sandbox stands in for CXone: it needs neither the database nor the product's URLs to be sound.
    requires_system_checks = []
    help = (
        "Serve the CXone sandbox (the Outbound API v2, or with --api admin a real tenant's Admin API). Knobs can "
        "be changed while it runs: "
        "PATCH /_sandbox/config; stats at GET /_sandbox/stats; WFM webhook stand-in at POST /wfm/webhook."
    )

    def add_arguments(self, parser):
        defaults = SandboxConfig()
        parser.add_argument("--host", default="127.0.0.1", help="a loopback address unless --allow-remote")
        parser.add_argument(
            "--allow-remote",
            action="store_true",
            help="serve on an address other hosts can reach (a container network): the /_sandbox/ control API "
            "has no authentication",
        )
        parser.add_argument("--port", type=port_number, default=8700)
        parser.add_argument(
            "--campaigns", type=int, default=defaults.campaigns, help="how many campaigns to seed"
        )
        parser.add_argument("--seed", type=int, default=defaults.seed, help="same seed, same demo data")
        parser.add_argument(
            "--api",
            default=defaults.api,
            choices=["outbound-v2", "admin"],
            help="which API to speak: the Outbound API v2 contract, or a real tenant's Admin API (PC skills)",
        )
        parser.add_argument("--tenant-id", default=defaults.tenant_id, help="Admin API: the tenant id")
        parser.add_argument(
            "--access-key-id", default=defaults.access_key_id, help="Admin API: access key id"
        )
        parser.add_argument("--access-key-secret", default=defaults.access_key_secret)
        parser.add_argument(
            "--admin-time-format",
            default=defaults.admin_time_format,
            choices=["%H:%M", "%H:%M:%S"],
            help="Admin API: the only time format schedule-settings accept",
        )
        parser.add_argument(
            "--admin-require-all-days",
            action=argparse.BooleanOptionalAction,
            default=defaults.admin_require_all_days,
            help="Admin API: refuse a schedule-settings week with an inactive day or a zero-length window, as a "
            "live tenant was reported to (default on; --no-admin-require-all-days takes any week)",
        )
        parser.add_argument(
            "--admin-retry-get",
            default=defaults.admin_retry_get,
            choices=["flat", "wrapped"],
            help="Admin API: GET retry-settings answers flat (as published) or wrapped in {retrySettings}",
        )
        parser.add_argument(
            "--admin-zone-name-field",
            default=defaults.admin_zone_name_field,
            choices=["name", "standardName"],
            help="Admin API: what the combined parameters read calls a zone row's name",
        )
        parser.add_argument(
            "--admin-retry-after",
            action="store_true",
            help="Admin API: send Retry-After with a 429 (a live tenant was reported not to)",
        )
        parser.add_argument("--client-id", default=defaults.client_id)
        parser.add_argument("--client-secret", default=defaults.client_secret)
        parser.add_argument(
            "--rate-limit", type=float, default=defaults.rate_limit, help="requests/s per client"
        )
        parser.add_argument("--burst", type=int, default=defaults.burst, help="token bucket size")
        parser.add_argument(
            "--omit-retry-after", action="store_true", help="429 without a Retry-After header"
        )
        parser.add_argument("--activation-delay", default="1-5", help="seconds from PUT to outcome: 3 or 1-5")
        parser.add_argument(
            "--failure-rate", type=float, default=0.0, help="share of activations ending FAILED"
        )
        parser.add_argument("--error-rate", type=float, default=0.0, help="share of activations ending ERROR")
        parser.add_argument(
            "--allow-inactive-dnc", action="store_true", help="activate campaigns whose DNC list is INACTIVE"
        )
        parser.add_argument(
            "--server-error-rate", type=float, default=0.0, help="share of API calls getting 503"
        )
        parser.add_argument("--latency-ms", default="0", help="added latency per call, ms: 50 or 20-200")
        parser.add_argument(
            "--drop-rate", type=float, default=0.0, help="share of API calls dropped mid-answer"
        )
        parser.add_argument("--token-lifetime", type=int, default=defaults.token_lifetime, help="seconds")
        parser.add_argument(
            "--wfm-secret",
            default=defaults.wfm_secret,
            help="the WFM stand-in's Standard Webhooks secret(s): whsec_<base64>, space-separated if several",
        )
        parser.add_argument(
            "--wfm-failure-rate", type=float, default=0.0, help="share of webhooks answered 500"
        )
        parser.add_argument(
            "--wfm-status", type=int, default=0, help="answer every webhook with this status (0 = normally)"
        )
        parser.add_argument(
            "--wfm-retry-after", type=int, default=0, help="Retry-After seconds sent with --wfm-status"
        )
        parser.add_argument(
            "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
        )

    def handle(self, *args, **options):
        host = options["host"]
        if not is_loopback(host) and not options["allow_remote"]:
            where = "every interface" if is_every_interface(host) else repr(host)
            raise CommandError(
                f"--host {host!r} would serve on {where}, and the sandbox's /_sandbox/ control API has no "
                "authentication: use 127.0.0.1, ::1 or localhost, or add --allow-remote"
            )
        config = SandboxConfig()
        problems = config.update(
            {
                "campaigns": options["campaigns"],
                "seed": options["seed"],
                "api": options["api"],
                "tenant_id": options["tenant_id"],
                "access_key_id": options["access_key_id"],
                "access_key_secret": options["access_key_secret"],
                "admin_time_format": options["admin_time_format"],
                "admin_require_all_days": options["admin_require_all_days"],
                "admin_retry_get": options["admin_retry_get"],
                "admin_zone_name_field": options["admin_zone_name_field"],
                "admin_retry_after": options["admin_retry_after"],
                "client_id": options["client_id"],
                "client_secret": options["client_secret"],
                "rate_limit": options["rate_limit"],
                "burst": options["burst"],
                "omit_retry_after": options["omit_retry_after"],
                "activation_delay": list(_range(options["activation_delay"])),
                "failure_rate": options["failure_rate"],
                "error_rate": options["error_rate"],
                "reject_inactive_dnc": not options["allow_inactive_dnc"],
                "server_error_rate": options["server_error_rate"],
                "latency_ms": list(_range(options["latency_ms"])),
                "drop_rate": options["drop_rate"],
                "token_lifetime": options["token_lifetime"],
                "wfm_secret": options["wfm_secret"],
                "wfm_failure_rate": options["wfm_failure_rate"],
                "wfm_status": options["wfm_status"],
                "wfm_retry_after": options["wfm_retry_after"],
            }
        )
        if problems:
            raise CommandError(
                "; ".join(f"--{p['field'].replace('_', '-')}: {p['message']}" for p in problems)
            )
        app = create_app(config)
        self.stdout.write(
            f"CXone sandbox ({config.api}) on http://{options['host']}:{options['port']} — "
            f"{len(app.state.campaigns)} campaigns (seed {config.seed}), client id {config.client_id!r}, "
            f"{config.rate_limit:g} req/s burst {config.burst}"
        )
        serve(app, host=options["host"], port=options["port"], log_level=options["log_level"])
