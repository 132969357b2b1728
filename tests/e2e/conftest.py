"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import time
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # Any page that breaks the Content-Security-Policy (an inline script or style) fails.
        violations = []
        page.on(
            "console",
            lambda m: (
                violations.append(f"{page.url}: {m.text[:80]}")
                if "Content Security Policy" in m.text
                else None
            ),
        )
        yield page
        browser.close()
        assert not violations, violations


def _code(key: bytes, after_step: int = -1) -> str:
    """The app's current code; a code is good once, so wait for the next if it was used."""
    totp = TOTP(key)
    totp.time = time.time()
    while totp.t() <= after_step:
        time.sleep(1)
        totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(page, base, username, password=PASSWORD):
    """Sign in through the form; managers then enter the code from their authenticator app
    (setting one up from the key on the page the first time)."""
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("h1")
    heading = page.inner_text("h1").strip()
    if heading == "Set up your authenticator app":
        key = b32decode(page.text_content(".yjs-secret").replace(" ", ""))
        page.fill("#id_otp_token", _code(key))
        page.click("button:has-text('Continue')")
        page.wait_for_selector("h1")
    elif heading == "Enter your security code":
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_otp_token", _code(device.bin_key, device.last_t))
        page.click("button:has-text('Continue')")
        page.wait_for_selector("h1")
    assert page.locator("#id_otp_token").count() == 0, "the security code was refused"


def check_accessibility(page, name: str) -> None:
    """Run axe-core (WCAG 2.2 AA rules) on the page and fail on any violation."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # Evaluated through the DevTools protocol: a <script> tag would be refused by our CSP.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert not problems, f"{name}: " + "; ".join(problems)
