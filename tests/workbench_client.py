"""A person at the workbench over plain HTTP (cookies kept, forms posted with the page's CSRF token), and
the chat steps that sign them in: the link is taken from the Slack DM the bot really sent."""
from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from html import unescape

import aiohttp

from conftest import Service
from slack_fakes import FakeSlack, command_body
from test_slack import send_form

LINK = re.compile(r"(https?://\S+/workbench/login\?token=[\w-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def link_from_slack_dm(service: Service, fake: FakeSlack, user: str = "U0COMMS") -> str:
    """`/guideline-admin login` typed in Slack by `user`; the link the bot sent in their DM."""
    def links() -> list:
        return [c for c in fake.of("chat.postMessage") if c.args["channel"] == user and LINK.search(c.args["text"])]

    before = len(links())
    await send_form(service, command_body("/guideline-admin", "login", fake.url + "/response/login", user=user))
    deadline = time.monotonic() + 10
    while len(links()) <= before:
        assert time.monotonic() < deadline, "no sign-in link in the DM"
        await asyncio.sleep(0.02)
    dm = links()[before]
    assert dm.args.get("unfurl_links") in (False, "false", "0", 0)  # Slack must not fetch (and spend) it
    return LINK.search(dm.args["text"]).group(1)  # type: ignore[union-attr]


@dataclass
class Visitor:
    """Someone with a browser's cookie jar; `page` is the last HTML they saw."""

    http: aiohttp.ClientSession
    page: str = ""
    status: int = 0

    @classmethod
    def new(cls, lang: str = "nb") -> Visitor:
        headers = {"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5" if lang == "nb" else "en-GB,en;q=0.9"}
        return cls(aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers))

    async def get(self, url: str) -> str:
        async with self.http.get(url) as response:
            self.status, self.page = response.status, await response.text()
        return self.page

    async def post(self, url: str, data: dict[str, str], csrf: str | None = None) -> str:
        token = csrf if csrf is not None else self.csrf
        async with self.http.post(url, data={**data, "csrf": token}) as response:
            self.status, self.page = response.status, await response.text()
        return self.page

    @property
    def csrf(self) -> str:
        match = CSRF.search(self.page)
        return match.group(1) if match else ""

    async def sign_in(self, link: str) -> None:
        """Opens the link, then presses the sign-in button (the link alone spends nothing)."""
        page = await self.get(link)
        token = unescape(re.search(r'name="token" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        base = link.split("/workbench/")[0]
        async with self.http.post(base + "/workbench/login", data={"token": token}) as response:
            self.status, self.page = response.status, await response.text()

    async def close(self) -> None:
        await self.http.close()


def text_of(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", " ", page))
