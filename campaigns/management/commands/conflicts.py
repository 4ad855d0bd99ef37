"""Find capacity and contact-list conflicts of a set of campaigns given in a JSON file.

python manage.py conflicts --input FILE --from YYYY-MM-DD --days N --json

FILE: {"pools": [{"id", "capacity"}], "campaigns": [{"id", "cron", "timezone", "duration", "pool", "agents",
"contact_list"}]}. The horizon is [--from 00:00 UTC, + N days) by window start. Bad input: exit 2 with a JSON
error naming the campaign and the field.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.scheduling.reports import InputError, conflicts_report

INVALID_INPUT = 2


class Command(BaseCommand):
    # Pure computation (no database, no CXone): runs in planners' scripts without the app's settings checks.
    requires_system_checks: list[str] = []
    help = (
        "Sweep the windows of the campaigns in --input over [--from 00:00 UTC, + --days) and print every "
        "interval where a pool is over capacity or two campaigns dial the same contact list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", help="JSON file with pools and campaigns")
        parser.add_argument("--from", dest="from", help="first day, YYYY-MM-DD (UTC)")
        parser.add_argument("--days", help="number of days")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        try:
            data = read_input(options["input"])
            report = conflicts_report(data, options["from"], options["days"])
        except InputError as exc:
            self.stdout.write(json.dumps(exc.to_dict()) if options["json"] else f"invalid input: {exc}")
            raise CommandError(f"invalid input: {exc}", returncode=INVALID_INPUT) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"{len(report['conflicts'])} conflicts")
        for conflict in report["conflicts"]:
            where = conflict.get("pool") or conflict.get("contact_list")
            load = (
                f" (demand {conflict['demand']} > {conflict['capacity']})"
                if conflict["kind"] == "capacity"
                else ""
            )
            self.stdout.write(
                f"  {conflict['start']} → {conflict['end']}  {conflict['kind']} {where}{load}: "
                + ", ".join(conflict["campaigns"])
            )


def read_input(path: str | None) -> object:
    if not path:
        raise InputError([{"field": "input", "message": "is required (--input FILE)"}])
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([{"field": "input", "message": f"cannot read {path}: {exc.strerror}"}]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                {
                    "field": "input",
                    "message": f"{path} is not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                }
            ]
        ) from exc
