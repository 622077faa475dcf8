"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Without /usr/bin/chromium they are skipped (with how to install it), except under
CI=true, where a missing browser is a failure. Playwright's own browser
download is never used; Playwright gives every context a fresh, empty profile.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from learning import services
from learning.models import Quiz

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
# The phone a journey is taken on: a touch screen, as a student holds it.
HANDSET = {"width": 390, "height": 844}
# Every account's password in the browser tests.
PASSWORD = "sco-summit-2020!"
# The links, buttons and fields of a page's main part shorter than a thumb's 44 px.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a, main button, main select, main input:not([type=hidden]), main summary')]
  .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden, .visually-hidden-focusable')
          && e.getBoundingClientRect().height < 44)
  .map(e => e.outerHTML.slice(0, 80))"""

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: install it with `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """A browser tab that checks every page it lands on: no console error, no CSP
    violation, no serious accessibility violation, no sideways scroll on a phone;
    and keeps a screenshot of each page at phone and laptop size."""

    def __init__(
        self,
        browser,
        base_url: str,
        name: str,
        javascript: bool = True,
        phone: bool = False,
        locale: str = "en-US",
    ):
        # `locale` is the language the browser asks for (Accept-Language).
        self.viewport = HANDSET if phone else LAPTOP
        self.context = browser.new_context(
            java_script_enabled=javascript,
            viewport=self.viewport,
            has_touch=phone,
            is_mobile=phone,
            locale=locale,
        )
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.name = name
        self.javascript = javascript
        self.problems: list[str] = []
        self.seen: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url", "")
            self.problems.append(f"console on {self.page.url} from {where}: {message.text[:120]}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def follow(self, locator) -> None:
        """Click something that loads a page, wait for that page, and check it."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def press(self, key: str) -> None:
        """Press a key that loads a page, wait for that page, and check it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.check()

    def check(self) -> None:
        """Check the page now shown; keep screenshots of the first of each kind of page."""
        page = self.page
        page.wait_for_load_state()
        if self.javascript:
            from axe_playwright_python.sync_playwright import Axe

            # axe re-reads @import-ed stylesheets (the admin's forms.css) by injecting
            # a <style>, which our CSP blocks; only css-orientation-lock needs that
            # preload, and the 360 px check below covers narrow screens.
            results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
            bad = [
                f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not bad, f"{page.url}: {bad}"
        path = re.sub(r"\d+", "N", page.url.removeprefix(self.base_url).split("?")[0])
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        slug += "-back" if "show=1" in page.url else ""
        first = slug not in self.seen
        self.seen.add(slug)
        SHOTS.mkdir(parents=True, exist_ok=True)
        if first:
            page.set_viewport_size(LAPTOP)
            page.screenshot(path=SHOTS / f"{self.name}-{slug}-laptop.png", full_page=True)
        page.set_viewport_size(PHONE)
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"{page.url} scrolls sideways by {sideways}px at 360 px"
        if first:
            page.screenshot(path=SHOTS / f"{self.name}-{slug}-phone.png", full_page=True)
        page.set_viewport_size(self.viewport)
        assert not self.problems, self.problems

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def visit(browser, live_server, request):
    tabs: list[Visit] = []

    def open_tab(javascript: bool = True, phone: bool = False, locale: str = "en-US") -> Visit:
        name = request.node.name + (f"-{len(tabs)}" if tabs else "")
        tab = Visit(browser, live_server.url, name, javascript, phone, locale)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        tab.close()


@pytest.fixture(autouse=True)
def _teachers_group(transactional_db):
    """Browser tests run on a flushed database, which loses the rows that data
    migrations made: put the Teachers group back as migrations 0004 and 0006 make it."""
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    migration = import_module("learning.migrations.0004_teachers_group")
    group, _ = Group.objects.get_or_create(name=migration.TEACHERS)
    codenames = [f"{a}_{m}" for m in migration.MODELS for a in migration.ACTIONS]
    codenames += import_module("learning.migrations.0009_authoring").PERMISSIONS
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="learning", codename__in=codenames)
    )


@pytest.fixture
def class_9b(statement):
    """Tess's class, with "The essentials" assigned for next week."""
    tess = services.teacher_create(username="tess", password=PASSWORD)
    classroom = services.classroom_create(teacher=tess, name="9B")
    due = timezone.now() + dt.timedelta(days=7)
    services.assignment_set(
        classroom=classroom, quiz=Quiz.objects.get(slug="essentials"), due_at=due
    )
    return classroom
