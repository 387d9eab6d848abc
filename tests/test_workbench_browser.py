"""The workbench in a real browser: Debian's headless Chromium driven by Selenium, axe-core on every page.

A comms team member signs in with the link the bot sent in a Slack DM, attaches a declined question to a
passage (the bot answers it in Slack at once, and on a second replica within 5 s), marks one out of scope,
publishes a new translation with a note, rolls it back and acknowledges a channel request. Screenshots
of every page land in tests/screenshots/ (kept after the run, ignored by git).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from guidebot.bot.schema import web_sessions
from conftest import ROOT, Service, slack_env, start_service, stop_service
from slack_fakes import FakeSlack
from test_guideline_updates import ask_dm
from test_slack_new_channel import filled, submit
from test_workbench import CHILDREN, DECLINED, workbench_service
from workbench_client import link_from_slack_dm

CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path(os.environ.get("GUIDEBOT_SCREENSHOTS", ROOT / "tests" / "screenshots"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    pytest.skip("no headless Chromium here: apt-get install chromium chromium-driver (Debian) runs the browser tests",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the [test] extra")
axe_core_python = pytest.importorskip("axe_core_python", reason="axe-core-python is in the [test] extra")
from selenium.webdriver.chrome.service import Service as DriverService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Browser:
    """One Chromium; every call blocks, so the scenario runs each one in a thread (`await b.do(...)`)
    while the service answers on the event loop."""

    def __init__(self) -> None:
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000", "--lang=nb-NO"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": "nb-NO,nb,no"})
        options.binary_location = CHROMIUM
        self.driver = webdriver.Chrome(service=DriverService(DRIVER), options=options)
        self.axe = (Path(axe_core_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
        self.checked: dict[str, list[Any]] = {}

    async def do(self, step: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(step, *args)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def click(self, css: str) -> None:
        """Every click here follows a link or sends a form: wait until the next page has loaded."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.driver, 10).until(lambda _d: _gone(page))
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def type(self, css: str, text: str, clear: bool = True) -> None:
        field = self.driver.find_element(By.CSS_SELECTOR, css)
        if clear:
            field.clear()
        field.send_keys(text)

    def text(self) -> str:
        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    def check(self, name: str) -> list[Any]:
        """A screenshot, then axe-core's serious and critical WCAG 2.1 A/AA violations on this page."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))
        self.driver.execute_script(self.axe)
        found = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG!r}}}}})"
            ".then(r => done(r.violations.map(v => [v.id, v.impact, v.help, v.nodes.map(n => n.html).slice(0, 3)])));")
        serious = [v for v in found if v[1] in ("serious", "critical")]
        self.checked[name] = serious
        return serious

    def quit(self) -> None:
        self.driver.quit()


def _gone(element: Any) -> bool:
    """The page this element was on has been replaced (Chromium reports that in more than one way)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    b = await asyncio.to_thread(Browser)
    yield b
    await asyncio.to_thread(b.quit)


async def _until(condition: Callable[[], Any], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.3)


async def test_a_comms_member_works_through_the_inbox_knowledge_publishing_and_requests(
        browser: Browser, fake_slack: FakeSlack, sqlite_url: str) -> None:
    first = await workbench_service(fake_slack, sqlite_url)
    second = await start_service(slack_env(fake_slack), db_url=sqlite_url)
    second.bot.publisher.poll_interval = 2.0  # the production default: the replica polls every 2 s
    try:
        await _scenario(browser, first, second, fake_slack)
    finally:
        await stop_service(second)
        await stop_service(first)
    assert {name: found for name, found in browser.checked.items() if found} == {}


async def _scenario(b: Browser, first: Service, second: Service, fake: FakeSlack) -> None:
    assert "Veilederen sier ikke noe om dette" in await ask_dm(first, fake, DECLINED, "EvW1")
    await ask_dm(first, fake, "hvem er ordfører i kommunen", "EvW2")
    await submit(first, filled())
    link = await link_from_slack_dm(first, fake)

    # sign in: the link shows a button; pressing it opens the session
    await b.do(b.open, link)
    assert "Logg inn på arbeidsbenken" in await b.do(b.text)
    await b.do(b.check, "1-sign-in")
    await b.do(b.click, "main form button")
    inbox = await b.do(b.text)
    assert "Innboks" in inbox and DECLINED in inbox and "hvem er ordfører i kommunen" in inbox
    await b.do(b.check, "2-inbox")

    # attach the declined question to the passage on parents' permission, found by searching
    await b.do(b.click, 'a[href*="mamma"]')
    await b.do(b.type, "#passage-search", "tillatelse foreldre barn")
    await b.do(b.click, "form.search button")
    await b.do(b.check, "3-question")
    await b.do(b.click, f'form[action="/workbench/attach"]:has(input[value="{CHILDREN}"]) button')
    assert "Boten svarer på spørsmålet nå" in await b.do(b.text)
    quoted = "Vi skal alltid innhente skriftlig tillatelse fra foreldre"
    assert quoted in await ask_dm(first, fake, DECLINED, "EvW3")  # the same process, at once
    started = time.monotonic()
    await _until(lambda: _quotes(second, fake, quoted), 5, "the second replica did not answer within 5 s")
    print(f"second replica answered the attached question after {time.monotonic() - started:.1f} s")

    # one out of scope
    await b.do(b.click, 'a[href*="ordf"]')
    await b.do(b.click, 'form:has(input[value="out_of_scope"]) button')
    assert "ordfører" not in await b.do(b.text)
    await b.do(b.open, first.url + "/workbench/decided")
    decided = await b.do(b.text)
    assert "hvem er ordfører i kommunen" in decided and "kari (slack)" in decided
    await b.do(b.check, "4-decided")

    # a new translation, previewed, published with a note, then rolled back
    english = "Can I post a picture of children?"
    old = first.bot.guideline.passage(CHILDREN).translation  # type: ignore[union-attr]
    await b.do(b.open, first.url + "/workbench/knowledge")
    await b.do(b.check, "5-knowledge")
    await b.do(b.type, "#knowledge-search", "foreldre barn")
    await b.do(b.click, "form.search button")
    await b.do(b.click, 'a[href*="bilder-barn"]')
    await b.do(b.check, "6-passage")
    await b.do(b.type, "#translation", "We always ask both parents in writing before we photograph children.")
    await b.do(b.click, 'button[formaction="/workbench/passage/preview"]')
    assert "Slik ville boten svart annerledes" in await b.do(b.text)
    await b.do(b.check, "7-preview")
    await b.do(b.click, 'form[action="/workbench/passage/save"] button.primary')
    assert "both parents in writing" in await b.do(b.text)
    await b.do(b.check, "8-publish")
    await b.do(b.type, "#note", "Tydeligere engelsk oversettelse")
    await b.do(b.click, 'form[action="/workbench/publish"] button')
    assert "Publisert" in await b.do(b.text)
    assert "both parents in writing" in await ask_dm(first, fake, english, "EvW4")
    await b.do(b.click, 'form[action="/workbench/rollback"]:has(input[value="2"]) button')
    assert "Satt tilbake" in await b.do(b.text)
    assert old[:40] in await ask_dm(first, fake, english, "EvW5")
    history = await first.bot.publisher.history()
    assert [r.action for r in history][:2] == ["rollback", "publish"] and history[1].note == "Tydeligere engelsk oversettelse"

    # the channel request, acknowledged from the page
    await b.do(b.open, first.url + "/workbench/requests")
    await b.do(b.check, "9-requests")
    await b.do(b.click, 'form[action="/workbench/requests/ack"] button')
    assert "Bekreftet av kari (slack)" in await b.do(b.text)
    assert (await first.bot.store.get_request(1))["status"] == "acknowledged"

    await b.do(b.open, first.url + "/workbench/health")
    assert "Mest spurt om" in await b.do(b.text)
    await b.do(b.check, "10-health")

    # a forged CSRF token is refused, and nothing changes
    before = len(await first.bot.store.list_examples())
    await b.do(b.open, first.url + "/workbench/")
    await b.do(b.driver.execute_script, "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged')")
    await b.do(b.open, first.url + "/workbench/item?q=" + "noe annet")
    await b.do(b.driver.execute_script, "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged')")
    await b.do(b.click, 'form:has(input[value="needs_rule"]) button')
    assert "forfalsket" in await b.do(b.text)
    assert len(await first.bot.store.list_examples()) == before

    # the used link, after signing out: refused
    await b.do(b.open, first.url + "/workbench/")
    await b.do(b.click, 'form[action="/workbench/logout"] button')
    await b.do(b.open, link)
    await b.do(b.click, "main form button")
    assert "brukt, utløpt eller ukjent" in await b.do(b.text)
    await b.do(b.check, "11-link-used")

    # a fresh link, opened eleven minutes later: refused too
    late = await link_from_slack_dm(first, fake)
    async with first.bot.store.engine.begin() as conn:
        await conn.execute(sa.update(web_sessions).where(web_sessions.c.kind == "link").values(expires_at=time.time() - 60))
    await b.do(b.open, late)
    await b.do(b.click, "main form button")
    assert "brukt, utløpt eller ukjent" in await b.do(b.text)
    await b.do(b.open, first.url + "/workbench/")
    assert "Du må logge inn" in await b.do(b.text)


async def _quotes(service: Service, fake: FakeSlack, text: str) -> bool:
    return text in await ask_dm(service, fake, DECLINED, f"EvR{time.monotonic()}")
