"""Organisation settings: who the communications chief is, where the comms team and announcements live.

They come from one YAML file (`GUIDEBOT_SETTINGS`) and all have defaults, so the bot answers on the first
start; what is still unset (no comms chief yet) is listed by `missing()` for the log and `/healthz`.
Secrets never live here: tokens come from the environment.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from .decision import Policy
from .knowledge import KnowledgeError, parse_yaml

class ConfigError(ValueError):
    """A setting that is missing or wrong; the message names it and says what to do."""


@dataclass(frozen=True)
class PerPlatform:
    """One value per chat platform (a user id, a channel id, …), keyed by the platform's name as the
    settings file writes it; the core never needs to know which platforms exist."""

    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, platform: str) -> str | None:
        return self.values.get(platform)

    def platforms(self) -> tuple[str, ...]:
        return tuple(self.values)


@dataclass(frozen=True)
class Settings:
    organisation: str = ""
    comms_chief: PerPlatform = field(default_factory=PerPlatform)
    comms_channel: PerPlatform = field(default_factory=PerPlatform)
    comms_team: dict[str, tuple[str, ...]] = field(default_factory=dict)
    announcement_channels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_coverage: float | None = None
    answer_confidence: float | None = None
    retention_days: int = 90
    max_answers_in_flight: int = 64  # per worker process; past it, a polite "busy, try again" instead of a queue
    contact: str = ""  # whom declines point to; default: the document's `contact`
    greeting: dict[str, str] = field(default_factory=dict)  # lang → the first line of the help
    help_examples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang → example questions
    private_answers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # platform → channels answered privately
    workbench_url: str = ""  # where people reach /workbench/ (sign-in links point there); default: this host
    source: str = "defaults"

    def policy(self) -> Policy:
        """The answer/clarify/decline thresholds; `answer_confidence` moves both (the band stays 0.2 wide)."""
        policy = Policy(min_coverage=self.min_coverage) if self.min_coverage else Policy()
        if self.answer_confidence is None:
            return policy
        return replace(policy, answer_confidence=self.answer_confidence)

    def missing(self) -> list[str]:
        """Settings that leave a feature without a destination; answers work regardless."""
        gaps = []
        if not self.comms_chief.platforms():
            gaps.append("comms_chief (new-channel requests are kept and their notice waits until it is set)")
        if not self.comms_channel.platforms():
            gaps.append("comms_channel (\"Ask the communications team\" has nowhere to post)")
        if not any(self.comms_team.values()):
            gaps.append("comms_team (only the admin token can publish guideline versions)")
        if not self.workbench_url:
            gaps.append("workbench_url (sign-in links to the workbench point at localhost)")
        return gaps

    def is_comms_member(self, platform: str, user_id: str) -> bool:
        return user_id in self.comms_team.get(platform, ()) or user_id == self.comms_chief.get(platform)


def _per_platform(raw: Any, name: str, file: str) -> PerPlatform:
    if raw is None:
        return PerPlatform()
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: '{name}' must be a mapping of platform name to id (one line per platform)")
    values = {str(k): _id(v) for k, v in raw.items() if not str(k).startswith("__")}
    return PerPlatform({k: v for k, v in values.items() if v})


def _id(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _lists(raw: Any, name: str, file: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: '{name}' must be a mapping of platform name to a list of ids")
    out = {}
    for platform, value in raw.items():
        if str(platform).startswith("__"):
            continue
        value = value or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{file}: '{name}.{platform}' must be a list of ids")
        out[str(platform)] = tuple(str(v) for v in value if str(v).strip())
    return out


SETTINGS_KEYS = ("organisation", "comms_chief", "comms_channel", "comms_team", "announcement_channels",
                 "thresholds", "retention_days", "wording", "private_answers", "workbench_url")
WORDING_KEYS = ("contact", "greeting", "examples")
THRESHOLD_KEYS = ("answer_confidence", "min_coverage", "max_answers_in_flight")


def _known_keys(raw: dict[str, Any], known: tuple[str, ...], prefix: str, file: str) -> None:
    """A misspelt setting is refused, not ignored: `comms_cheif` would otherwise leave the chief unset."""
    for key in raw:
        if str(key).startswith("__") or key in known:
            continue
        line = (raw.get("__lines__") or {}).get(key)
        nearest = difflib.get_close_matches(str(key), known, n=1)
        hint = f": did you mean '{prefix}{nearest[0]}'?" if nearest else f" (known: {', '.join(known)})"
        where = f"{file}, line {line}" if line else file
        raise ConfigError(f"{where}: unknown setting '{prefix}{key}'{hint}")


def _url(raw: Any, file: str) -> str:
    url = str(raw or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise ConfigError(f"{file}: 'workbench_url' must start with https:// (the address people open)")
    return url.rstrip("/") + "/" if url else ""


def parse_settings(text: str, file: str = "settings.yaml") -> Settings:
    try:
        raw = parse_yaml(text, file) or {}
    except KnowledgeError as exc:
        raise ConfigError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: must be a mapping of settings")
    _known_keys(raw, SETTINGS_KEYS, "", file)
    thresholds = raw.get("thresholds") or {}
    if isinstance(thresholds, dict):
        _known_keys(thresholds, THRESHOLD_KEYS, "thresholds.", file)
    min_coverage = thresholds.get("min_coverage") if isinstance(thresholds, dict) else None
    if min_coverage is not None and not (isinstance(min_coverage, (int, float)) and 0 < min_coverage < 1):
        raise ConfigError(f"{file}: 'thresholds.min_coverage' must be a number between 0 and 1")
    in_flight = thresholds.get("max_answers_in_flight", 64) if isinstance(thresholds, dict) else 64
    if not isinstance(in_flight, int) or in_flight < 1:
        raise ConfigError(f"{file}: 'thresholds.max_answers_in_flight' must be a whole number, at least 1")
    answer_confidence = thresholds.get("answer_confidence") if isinstance(thresholds, dict) else None
    if answer_confidence is not None and not (isinstance(answer_confidence, (int, float)) and 0 < answer_confidence < 1):
        raise ConfigError(f"{file}: 'thresholds.answer_confidence' must be a number between 0 and 1")
    wording = raw.get("wording") or {}
    if not isinstance(wording, dict):
        raise ConfigError(f"{file}: 'wording' must be a mapping with contact, greeting and examples")
    _known_keys(wording, WORDING_KEYS, "wording.", file)
    greeting = wording.get("greeting") or {}
    if not isinstance(greeting, dict) or not all(isinstance(v, str) for k, v in greeting.items() if not str(k).startswith("__")):
        raise ConfigError(f"{file}: 'wording.greeting' must map a language (nb, en) to a sentence")
    retention = raw.get("retention_days", 90)
    if not isinstance(retention, int) or retention < 1:
        raise ConfigError(f"{file}: 'retention_days' must be a whole number of days, at least 1")
    return Settings(
        organisation=str(raw.get("organisation") or ""),
        comms_chief=_per_platform(raw.get("comms_chief"), "comms_chief", file),
        comms_channel=_per_platform(raw.get("comms_channel"), "comms_channel", file),
        comms_team=_lists(raw.get("comms_team"), "comms_team", file),
        announcement_channels=_lists(raw.get("announcement_channels"), "announcement_channels", file),
        min_coverage=float(min_coverage) if min_coverage is not None else None,
        answer_confidence=float(answer_confidence) if answer_confidence is not None else None,
        max_answers_in_flight=in_flight,
        retention_days=retention,
        contact=str(wording.get("contact") or "").strip(),
        greeting={str(k): v.strip() for k, v in greeting.items() if not str(k).startswith("__") and v.strip()},
        help_examples=_lists(wording.get("examples"), "wording.examples", file),
        private_answers=_lists(raw.get("private_answers"), "private_answers", file),
        workbench_url=_url(raw.get("workbench_url"), file),
        source=file,
    )


def load_settings(path: str | None = None) -> Settings:
    """From `GUIDEBOT_SETTINGS` (or `path`); without either, defaults."""
    path = path or os.environ.get("GUIDEBOT_SETTINGS")
    if not path:
        return Settings()
    file = Path(path)
    if not file.exists():
        raise ConfigError(f"GUIDEBOT_SETTINGS points at {path}, which does not exist: fix the path or unset it")
    return parse_settings(file.read_text(encoding="utf-8"), str(file))
