"""The editable fields of a contract as plain data: checking them, showing them as lines, and the
per-field diff between two versions (difflib) that the contract page shows."""

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhongyan.contracts.models import FIELD_NAMES, LIST_FIELDS
from zhongyan.core.errors import DomainError

TEXT_LIMIT = 8000
ROW_LIMIT = 40
LANGUAGES = ("zh-hans", "en")

FIELD_LABELS = {
    "title": pgettext_lazy("contract field", "Title"),
    "scope": pgettext_lazy("contract field", "Scope"),
    "deliverables": pgettext_lazy("contract field", "Deliverables and indicators"),
    "price": pgettext_lazy("contract field", "Price"),
    "milestones": pgettext_lazy("contract field", "Payment milestones"),
    "ip": pgettext_lazy("contract field", "Intellectual property"),
    "confidentiality": pgettext_lazy("contract field", "Confidentiality"),
    "term": pgettext_lazy("contract field", "Term"),
    "disputes": pgettext_lazy("contract field", "Dispute resolution"),
}
REQUIRED = ("title", "scope", "price")


class InvalidFields(DomainError):
    default_message = _("The contract fields are not valid.")


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def normalise(data: Any) -> dict[str, Any]:
    """Every field present, in its shape: bilingual {"zh-hans", "en"} texts, lists of row dicts."""
    if not isinstance(data, dict):
        raise InvalidFields()
    result: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = data.get(name)
        if name in LIST_FIELDS:
            columns = LIST_FIELDS[name]
            rows = value or []
            if not isinstance(rows, list) or len(rows) > ROW_LIMIT:
                raise InvalidFields(_("%(field)s: give at most %(limit)d rows.") % _params(name, ROW_LIMIT))
            clean_rows = []
            for row in rows:
                if not isinstance(row, dict):
                    raise InvalidFields(_("%(field)s: every row needs its columns.") % _params(name))
                clean = {column: _text(row.get(column))[:TEXT_LIMIT] for column in columns}
                if any(clean.values()):
                    clean_rows.append(clean)
            result[name] = clean_rows
        else:
            texts = value or {}
            if not isinstance(texts, dict):
                raise InvalidFields(_("%(field)s: give the text in Chinese and English.") % _params(name))
            clean_texts = {code: _text(texts.get(code)) for code in LANGUAGES if _text(texts.get(code))}
            if any(len(text) > TEXT_LIMIT for text in clean_texts.values()):
                raise InvalidFields(_("%(field)s: keep each language under %(limit)d characters.") % _params(name))
            if name in REQUIRED and not clean_texts:
                raise InvalidFields(_("%(field)s: this field cannot be empty.") % _params(name))
            result[name] = clean_texts
    return result


def _params(name: str, limit: int = TEXT_LIMIT) -> dict[str, Any]:
    return {"field": FIELD_LABELS[name], "limit": limit}


def as_lines(name: str, value: Any) -> list[str]:
    """A field as readable lines: "中文: …" / "English: …", or one " | "-separated line per row."""
    if name in LIST_FIELDS:
        return [" | ".join(row.get(column, "") for column in LIST_FIELDS[name]) for row in value or []]
    value = value or {}
    lines = []
    for code in LANGUAGES:
        for line in (value.get(code) or "").splitlines() or ([""] if code in value else []):
            lines.append(f"{code}: {line}")
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added" | "removed" | "context"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    lines: tuple[DiffLine, ...]


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldDiff]:
    """The fields that changed, each with its removed and added lines (and one line of context)."""
    changes = []
    for name in FIELD_NAMES:
        old = as_lines(name, (before or {}).get(name))
        new = as_lines(name, after.get(name))
        if old == new:
            continue
        lines = []
        for line in difflib.unified_diff(old, new, lineterm="", n=1):
            if line.startswith(("---", "+++", "@@")):
                continue
            kind = {"+": "added", "-": "removed"}.get(line[:1], "context")
            lines.append(DiffLine(kind, line[1:]))
        changes.append(FieldDiff(name, str(FIELD_LABELS[name]), tuple(lines)))
    return changes
