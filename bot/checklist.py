"""The guideline's checklist for opening an official channel, and the life of one request.

The items are data (`knowledge/checklist.yaml`), so a new guideline version can change them; each chat
platform's form (a modal, a card) is a rendering of the same `ChecklistForm`. A request moves through a small
explicit state machine: submitted → chief_notified → acknowledged (the draft lives in the open form).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUBMITTED, CHIEF_NOTIFIED, ACKNOWLEDGED = "submitted", "chief_notified", "acknowledged"
OPEN_STATES = (SUBMITTED, CHIEF_NOTIFIED)
TRANSITIONS = {CHIEF_NOTIFIED: (SUBMITTED,), ACKNOWLEDGED: (SUBMITTED, CHIEF_NOTIFIED)}

_ERRORS = {
    "required": {"nb": "Må fylles ut.", "en": "Required."},
    "confirm": {"nb": "Må bekreftes før du sender.", "en": "Must be confirmed before you submit."},
    "too_short": {"nb": "Skriv litt mer (minst {n} tegn).", "en": "Please write a little more (at least {n} characters)."},
    "too_long": {"nb": "For langt (høyst {n} tegn).", "en": "Too long (at most {n} characters)."},
    "choice": {"nb": "Velg et av alternativene.", "en": "Pick one of the options."},
}


class ChecklistInvalid(ValueError):
    """The form has errors; `errors` maps item id → message in the asker's language."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class AlreadySubmitted(RuntimeError):
    """This form was sent already (a second click on the same card): the first request stands."""


class RequestNotFound(LookupError):
    """No request with that id: check the number in the receipt."""


class NotAllowed(PermissionError):
    """The person may not do this (only the comms chief or team may acknowledge)."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    kind: str  # choice, text, textarea, user, confirm
    label: dict[str, str]
    required: bool = True
    options: tuple[str, ...] = ()
    hint: dict[str, str] | None = None
    min_length: int = 0
    max_length: int = 2000
    passage: str | None = None

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label["nb"]

    def hint_text(self, lang: str) -> str:
        return (self.hint or {}).get(lang) or (self.hint or {}).get("nb", "")


@dataclass(frozen=True)
class ChecklistForm:
    id: str
    title: dict[str, str]
    items: tuple[ChecklistItem, ...]

    @classmethod
    def from_knowledge(cls, raw: dict[str, Any]) -> ChecklistForm:
        items = tuple(ChecklistItem(
            id=str(item["id"]), kind=str(item["kind"]), label=dict(item["label"]),
            required=bool(item.get("required", True)), options=tuple(str(o) for o in item.get("options", ())),
            hint=item.get("hint"), min_length=int(item.get("min_length", 0)),
            max_length=int(item.get("max_length", 2000)), passage=item.get("passage"),
        ) for item in raw.get("items", ()))
        return cls(id=str(raw.get("id", "ny-kanal")), title=dict(raw.get("title") or {"nb": "Ny kanal"}), items=items)

    def title_text(self, lang: str) -> str:
        return self.title.get(lang) or self.title["nb"]

    def validate(self, values: dict[str, Any], lang: str) -> dict[str, Any]:
        """Cleans the answers; raises ChecklistInvalid naming every wrong item in the asker's language."""
        errors: dict[str, str] = {}
        clean: dict[str, Any] = {}
        for item in self.items:
            value = values.get(item.id)
            if item.kind == "confirm":
                clean[item.id] = bool(value)
                if item.required and not value:
                    errors[item.id] = _error("confirm", lang)
                continue
            text = " ".join(str(value).split()) if item.kind != "textarea" and value is not None else (
                str(value).strip() if value is not None else "")
            clean[item.id] = text
            if not text:
                if item.required:
                    errors[item.id] = _error("required", lang)
                continue
            if item.kind == "choice" and item.options and text not in item.options:
                errors[item.id] = _error("choice", lang)
            elif len(text) < item.min_length:
                errors[item.id] = _error("too_short", lang, n=item.min_length)
            elif len(text) > item.max_length:
                errors[item.id] = _error("too_long", lang, n=item.max_length)
        if errors:
            raise ChecklistInvalid(errors)
        return clean

    def summary(self, values: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
        """(item id, label, value) for the notice to the chief; user items keep their platform id."""
        rows = []
        for item in self.items:
            value = values.get(item.id)
            if item.kind == "confirm":
                shown = ("✅ " + ("ja" if lang == "nb" else "yes")) if value else "—"
            else:
                shown = str(value) if value not in (None, "") else "—"
            rows.append((item.id, item.text(lang), shown))
        return rows


def error_text(key: str, lang: str, **values: Any) -> str:
    """A checklist error in the asker's language, for a platform that checks inputs itself."""
    return _error(key, lang, **values)


def _error(key: str, lang: str, **values: Any) -> str:
    template = _ERRORS[key].get(lang) or _ERRORS[key]["nb"]
    return template.format(**values)


def request_label(request_id: int) -> str:
    """The id people see and quote: NK-0007 (ny kanal)."""
    return f"NK-{request_id:04d}"

