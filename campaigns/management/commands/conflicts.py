"""Find capacity and contact-list conflicts of a set of campaigns given in a JSON file.

python manage.py conflicts --input FILE --from YYYY-MM-DD --days N --json

FILE: {"pools": [{"id", "capacity"}], "campaigns": [{"id", "cron", "timezone", "duration", "pool", "agents",
"contact_list"}]}. The horizon is [--from 00:00 UTC, + N days) by window start. Bad input: exit 2 with a JSON
error naming the campaign and the field.
"""

import json
import re

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


MAX_INPUT_BYTES = 20 * 1024 * 1024  # thousands of campaigns fit in a few hundred KB
MAX_DEPTH = 20  # the contract nests 3 deep ({"campaigns": [{...}]})
MAX_NUMBER_DIGITS = 18


def read_input(path: str | None) -> object:
    """The input file as JSON, or InputError saying in one line why it is not usable input."""
    if not path:
        raise InputError([{"field": "input", "message": "is required (--input FILE)"}])
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise _input_error(f"cannot read {path}: {exc.strerror}") from exc
    if len(raw) > MAX_INPUT_BYTES:
        raise _input_error(f"{path} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _input_error(
            f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from exc
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise _input_error(
            f"{path} nests {depth} levels deep; the input format needs 3 (at most {MAX_DEPTH})"
        )
    try:
        return json.loads(text, parse_int=_whole_number, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _input_error(f"{path} is not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    except _NumberTooLong as exc:
        raise _input_error(f"{path} holds a number of {exc.digits} digits; numbers here have at most "
                           f"{MAX_NUMBER_DIGITS}") from exc  # fmt: skip
    except _NotANumber as exc:
        raise _input_error(f"{path} holds {exc.name}, which is not a JSON number") from exc


class _NumberTooLong(ValueError):
    def __init__(self, digits: int):
        super().__init__(digits)
        self.digits = digits


class _NotANumber(ValueError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _whole_number(text: str) -> int:
    # Checked before int(): Python refuses to convert more than 4,300 digits, with a ValueError of its own.
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(digits)
    return int(text)


def _no_constant(name: str):
    raise _NotANumber(name)  # NaN, Infinity, -Infinity: Python's json accepts them, JSON does not


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _nesting(text: str) -> int:
    """How deep the JSON nests (brackets outside strings), without parsing it: a deep file would exhaust the
    parser's recursion before it said anything useful."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _input_error(message: str) -> InputError:
    return InputError([{"field": "input", "message": message}])
