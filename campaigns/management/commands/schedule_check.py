"""Check one schedule from the command line: windows, DST findings, calling-hours compliance and, given a retry
policy, the frequency limits of the campaign's purpose.

python manage.py schedule_check --cron EXPR --tz ZONE --duration MINUTES --from YYYY-MM-DD --days N
    [--contact-tz ZONE ...] [--jurisdiction CODE ...]
    [--retry-minutes N --max-attempts N] [--purpose telemarketing|debt-collection|informational] --json

Each finding carries its rule and severity ("blocking" or "warning"); compliance.ok is false exactly when a
blocking finding exists. Exit 0 when the input is valid (compliant or not), 2 when it is not.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from campaigns.scheduling.reports import schedule_check_report

INVALID_INPUT = 2


class Command(BaseCommand):
    # Pure computation (no database, no CXone): runs in planners' scripts without the app's settings checks.
    requires_system_checks: list[str] = []
    help = (
        "Expand a cron schedule in its zone over [--from 00:00 local, + --days), report DST findings "
        "and check every window against the calling-hours rules. Exit 0 for valid input, 2 for invalid input."
    )

    def add_arguments(self, parser):
        # Values are taken as text and validated by the engine, so bad input gets a JSON error and exit 2.
        parser.add_argument("--cron", help='5-field cron expression, e.g. "0 9 * * 1-5"')
        parser.add_argument("--tz", help="IANA time zone of the campaign, e.g. America/Chicago")
        parser.add_argument("--duration", help="window length in minutes (1-1440)")
        parser.add_argument("--from", dest="from", help="first day, YYYY-MM-DD (local to --tz)")
        parser.add_argument("--days", help="number of days to expand")
        parser.add_argument(
            "--contact-tz",
            dest="contact_tz",
            action="append",
            default=[],
            help="a candidate zone of the called parties (repeatable; the window must be legal in all)",
        )
        parser.add_argument(
            "--jurisdiction",
            action="append",
            default=[],
            help="US, US-XX, CA or CA-XX (repeatable; default US)",
        )
        parser.add_argument(
            "--retry-minutes",
            dest="retry_minutes",
            help="minutes between attempts of the retry policy (with --max-attempts; without both, no "
            "frequency finding is made)",
        )
        parser.add_argument(
            "--max-attempts", dest="max_attempts", help="attempts per contact of the retry policy (1-300)"
        )
        parser.add_argument(
            "--purpose",
            default="telemarketing",
            help="telemarketing (default), debt-collection or informational: which frequency limits apply",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        report = schedule_check_report(
            cron=options["cron"],
            tz=options["tz"],
            duration=options["duration"],
            start_day=options["from"],
            days=options["days"],
            contact_zones=options["contact_tz"] or (),
            jurisdictions=options["jurisdiction"] or (),
            retry_minutes=options["retry_minutes"],
            max_attempts=options["max_attempts"],
            purpose=options["purpose"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(as_text(report))
        if not report["valid"]:
            problems = "; ".join(f"{e['field']}: {e['message']}" for e in report["errors"])
            raise CommandError(f"invalid input: {problems}", returncode=INVALID_INPUT)


def as_text(report: dict) -> str:
    if not report["valid"]:
        return "\n".join(["invalid input:", *(f"  {e['field']}: {e['message']}" for e in report["errors"])])
    lines = [f"{len(report['windows'])} windows"]
    lines += [
        f"  {w['local_start']} → {w['local_end']}  ({w['start']} → {w['end']})" for w in report["windows"]
    ]
    if report["dst"]:
        lines.append("DST:")
        lines += [f"  {d['window_start']} {d['kind']}: {d['message']}" for d in report["dst"]]
    compliance = report["compliance"]
    lines.append("compliance: " + ("ok" if compliance["ok"] else "NOT compliant"))
    lines += [
        f"  {f['severity'].upper()} {f['rule']} ({f['jurisdiction']}, {f['confidence']} confidence): {f['message']}"
        for f in compliance["findings"]
    ]
    return "\n".join(lines)
