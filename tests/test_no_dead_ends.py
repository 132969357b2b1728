"""No dead ends: every link a page shows a user leads somewhere that user may go.

A link that answers 403 or 404 is a small lie the page tells (the plans page offered an analyst
the Word template; a decided panel offered an invitation that could not be written). For each
role of the demo service this follows the links of every page it reaches from the home page and
the service hub - one page per shape of address (``/children/<n>/`` once, not for every child) -
and requires each to answer 200, or a redirect that is not to the sign-in or code page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque

import pytest

from tests.conftest import rolled_back
from yjs.interop.demo import load_demo
from yjs.organisation.models import User

TODAY = dt.date(2026, 11, 25)
LINK = re.compile(r'href="(/[^"#]*)')
# links that change something or end the session are buttons or confirmations, not visits
SKIP = re.compile(r"sign-out|/void/|/delete/|/erase|/revoke|/have-your-say/")
PAGES_PER_ROLE = 150
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield load_demo(seed=5, children=60, today=TODAY)


def _shape(path: str) -> str:
    path = re.sub(r"/\d+(?=/|$)", "/<n>", path)
    return re.sub(r"([?&][^=]+=)[^&]*", r"\1…", path)


def _walk(client) -> tuple[int, list[str]]:
    """(pages opened, dead ends) of a walk from the home page and the service hub."""
    queue, shapes, dead, opened = deque(["/", "/service/"]), set(), [], 0
    while queue and opened < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        opened += 1
        if response.status_code in (301, 302):
            where = response["Location"]
            if "sign-in" in where or "two-factor" in where:
                dead.append(f"{path} -> {where}")
            continue
        if response.status_code != 200:
            dead.append(f"{path} {response.status_code}")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if SKIP.search(link) or link.startswith("/static/") or _shape(link) in shapes:
                continue
            shapes.add(_shape(link))
            queue.append(link)
    return opened, dead


@pytest.mark.parametrize("username", ["alice", "mo", "hana", "ana", "bea"])
def test_every_link_a_role_is_shown_leads_somewhere_it_may_go(client, demo, username):
    client.force_login(User.objects.get(username=username))
    opened, dead = _walk(client)
    assert opened > 20, f"{username} reached only {opened} pages"
    assert dead == [], f"{username} is shown links that lead nowhere: {dead}"
