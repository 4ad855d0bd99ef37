"""A list page's filters from its query string: a value the page cannot use is named, never a 500.

The filter forms only ever send values the page offers; anything else came from a hand-edited or stale link.
The page then shows what it would show without that filter, says in one line per value what it ignored and why,
and answers 400, so a script or a monitor notices too.
"""

from __future__ import annotations

import unicodedata

# A database integer holds 18 digits (SQLite refuses more with an OverflowError, not an empty result).
MAX_DIGITS = 18
SHOWN = 40  # characters of an odd value quoted back


def whole_number(value) -> int | None:
    """A whole number written in the digits 0-9, at most 18 of them; None for anything else. str.isdigit() also
    takes "²" (which int() refuses) and "١٢" (which int() reads as 12): neither is a number a link of ours holds."""
    text = value if isinstance(value, str) else ""
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def plain_text(value, limit: int = 100) -> str:
    """Typed text for a search: control characters (NUL, which PostgreSQL refuses in a query) dropped, trimmed."""
    text = value if isinstance(value, str) else ""
    text = "".join(ch for ch in text[: limit * 4] if unicodedata.category(ch) != "Cc")
    return text.strip()[:limit]


def shown(value: str) -> str:
    text = plain_text(value, limit=SHOWN * 2)
    return f"“{text[:SHOWN]}…”" if len(text) > SHOWN else f"“{text}”"


class QueryFilters:
    """Reads a page's filters; `reasons` says, in words, why it could not use a value."""

    def __init__(self, params):
        self.params = params
        self.reasons: list[str] = []  # "Campaign: “²” is not a number in the digits 0-9"

    def refuse(self, label: str, value: str, reason: str) -> None:
        self.reasons.append(f"{label}: {shown(value)} {reason}")

    @property
    def problems(self) -> list[str]:
        """What a page says it ignored."""
        return [f"{reason}, so it is ignored." for reason in self.reasons]

    def choice(self, name: str, label: str, allowed) -> str:
        """One of `allowed`, or "" (every value) when the parameter is missing, empty or not one of them."""
        value = self.params.get(name, "")
        if value == "" or value in allowed:
            return value
        self.refuse(label, value, "is not one of the choices")
        return ""

    def row_id(self, name: str, label: str) -> int | None:
        """A row's id, or None (no filter) when missing, empty or not an id."""
        value = self.params.get(name, "")
        if value == "":
            return None
        number = whole_number(value)
        if number is None:
            self.refuse(label, value, "is not a number in the digits 0-9")
        return number

    def text(self, name: str, limit: int = 100) -> str:
        return plain_text(self.params.get(name, ""), limit)

    def page(self) -> int:
        """The page number; a page past the last shows the last (lists shrink), anything else the first."""
        value = self.params.get("page", "")
        if value == "":
            return 1
        number = whole_number(value)
        if number is None:
            self.refuse("Page", value, "is not a page number")
            return 1
        return number

    @property
    def status(self) -> int:
        return 400 if self.reasons else 200
