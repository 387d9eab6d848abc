"""`guidebot teams-package`: the zip to upload in Teams (manifest with the bot id, and its two icons).

The icons are drawn here rather than kept as binary files: a 192×192 colour icon and a 32×32 white
outline on transparency, as the Teams manifest requires.
"""
from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).with_name("manifest.json")
MANIFEST_VERSION = "1.16"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


MAX_DEVELOPER_NAME = 32  # the Teams app-manifest schema's maxLength for developer.name


def _shorter(name: str) -> str:
    words = name.split()
    while len(" ".join(words)) > MAX_DEVELOPER_NAME and len(words) > 1:
        words.pop()
    return " ".join(words)[:MAX_DEVELOPER_NAME]


class PackageError(ValueError):
    """The package cannot be built; the message says which value to fix."""


def _png(size: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _book(x: int, y: int, size: int) -> bool:
    """A simple open-book glyph: two pages with a spine."""
    margin, mid = size * 0.2, size / 2
    inside = margin <= x < size - margin and size * 0.28 <= y < size * 0.72
    return inside and abs(x - mid) > size * 0.03


def color_icon() -> bytes:
    return _png(192, lambda x, y, s: (255, 255, 255, 255) if _book(x, y, s) else (0x1D, 0x3C, 0x6E, 255))


def outline_icon() -> bytes:
    return _png(32, lambda x, y, s: (255, 255, 255, 255) if _book(x, y, s) else (0, 0, 0, 0))


def build(app_id: str, out: Path, organisation: str = "guidebot", website: str = "https://example.org") -> Path:
    if not _GUID.match(app_id or ""):
        raise PackageError("MicrosoftAppId must be the Azure Bot's app id (a GUID such as "
                           "00000000-0000-0000-0000-000000000000): pass --app-id or set MicrosoftAppId")
    if not website.startswith("https://"):
        raise PackageError("--website must be an https:// address (Teams requires it)")
    if not organisation.strip() or len(organisation) > MAX_DEVELOPER_NAME:
        raise PackageError(f"--organisation is the manifest's developer.name, which Teams limits to "
                           f"{MAX_DEVELOPER_NAME} characters; {organisation!r} has {len(organisation)}: give a "
                           f"shorter form (for example {_shorter(organisation)!r})")
    text = MANIFEST.read_text(encoding="utf-8")
    for key, value in (("MicrosoftAppId", app_id), ("organisation", organisation), ("websiteUrl", website)):
        text = text.replace("{{" + key + "}}", json.dumps(value)[1:-1])
    manifest = json.loads(text)
    validate(manifest)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return out


# --- what the Teams app-manifest schema (v1.16, the version manifest.json declares) asks of the fields
# this package writes: lengths, patterns, allowed values. Checked before the zip is written, so Teams never
# refuses an upload that this command called fine.
_HTTPS = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]://")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_REQUIRED = ("manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor")
_LENGTHS = {"version": 256, "developer.name": 32, "developer.websiteUrl": 2048, "developer.privacyUrl": 2048,
            "developer.termsOfUseUrl": 2048, "name.short": 30, "name.full": 100, "description.short": 80,
            "description.full": 4000}
_SCOPES = {"team", "personal", "groupChat"}
_PERMISSIONS = {"identity", "messageTeamMembers"}


def _at(manifest: dict[str, Any], path: str) -> Any:
    value: Any = manifest
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _fail(field: str, problem: str) -> PackageError:
    return PackageError(f"manifest.json field '{field}' {problem} (Teams app-manifest schema "
                        f"{MANIFEST_VERSION}); nothing was written")


def validate(manifest: dict[str, Any]) -> None:
    """Raises PackageError naming the first field the declared manifest schema would refuse."""
    for key in _REQUIRED:
        if manifest.get(key) in (None, ""):
            raise _fail(key, "is missing")
    if manifest.get("manifestVersion") != MANIFEST_VERSION:
        raise _fail("manifestVersion", f"is {manifest.get('manifestVersion')!r}, but the package is checked for "
                                       f"{MANIFEST_VERSION!r}")
    for path, limit in _LENGTHS.items():
        value = _at(manifest, path)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise _fail(path, f"has {len(str(value))} characters; at most {limit} are allowed")
    for path in ("developer.websiteUrl", "developer.privacyUrl", "developer.termsOfUseUrl"):
        if not _HTTPS.match(str(_at(manifest, path) or "")):
            raise _fail(path, "must be an https:// address")
    if not _SEMVER.match(str(manifest["version"])):
        raise _fail("version", "must be a semantic version such as 1.0.0")
    if not _GUID.match(str(manifest["id"])):
        raise _fail("id", "must be a GUID")
    if not _HEX.match(str(manifest["accentColor"])):
        raise _fail("accentColor", "must be a colour such as #1D3C6E")
    for key in ("outline", "color"):
        if not _at(manifest, f"icons.{key}"):
            raise _fail(f"icons.{key}", "is missing")
    _validate_bots(manifest.get("bots") or [])
    unknown = set(manifest.get("permissions") or []) - _PERMISSIONS
    if unknown:
        raise _fail("permissions", f"has {sorted(unknown)}; allowed are {sorted(_PERMISSIONS)}")


def _validate_bots(bots: list[dict[str, Any]]) -> None:
    if len(bots) > 1:
        raise _fail("bots", "lists more than one bot")
    for bot in bots:
        if not _GUID.match(str(bot.get("botId") or "")):
            raise _fail("bots[0].botId", "must be a GUID")
        if not bot.get("scopes") or set(bot["scopes"]) - _SCOPES:
            raise _fail("bots[0].scopes", f"must be some of {sorted(_SCOPES)}")
        lists = bot.get("commandLists") or []
        if len(lists) > 3:
            raise _fail("bots[0].commandLists", "has more than 3 lists")
        for i, command_list in enumerate(lists):
            commands = command_list.get("commands") or []
            if len(commands) > 10:
                raise _fail(f"bots[0].commandLists[{i}].commands", "has more than 10 commands")
            for j, command in enumerate(commands):
                for key, limit in (("title", 32), ("description", 128)):
                    value = str(command.get(key) or "")
                    if not value or len(value) > limit:
                        raise _fail(f"bots[0].commandLists[{i}].commands[{j}].{key}",
                                    f"has {len(value)} characters; 1 to {limit} are allowed")
