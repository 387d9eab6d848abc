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

MANIFEST = Path(__file__).with_name("manifest.json")
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
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return out
