"""What every response carries: no caching of anything a signed-in user sees, and a
Content-Security-Policy that allows no inline script or style (so none may be in a template)."""

import re
from pathlib import Path

import pytest

import yjs

pytestmark = pytest.mark.django_db


def test_child_pages_partials_and_downloads_are_never_cached(
    client, people, jay, settings, tmp_path
):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    client.force_login(people["alice"])
    for url in (f"/children/{jay.pk}/", "/children/search/?q=Smith", "/caseload/"):
        response = client.get(url, HTTP_HX_REQUEST="true" if "search" in url else None)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url
    download = client.get("/performance/download.csv?period=2025-26Q2")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "no-store, private"


def test_static_files_keep_their_caching(client, people):
    client.force_login(people["alice"])
    static = client.get("/static/yjs/init.js")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


def test_the_content_security_policy_allows_no_inline_code(client):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on...= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\shx-on", re.I), "hx-on handler"),
]


STANDALONE = "{# a standalone document: downloaded, never served as a page #}"


def test_no_template_has_inline_script_handlers_or_styles():
    found = []
    for template in Path(yjs.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.name}: {what}")
        # <style> only in standalone documents (the e-mailed board pack, the subject access
        # record in its zip), never on a page we serve.
        standalone = "{% else %}<style>" in text or STANDALONE in text
        if "<style" in text and not standalone:
            found.append(f"{template.name}: <style> element")
    assert not found
