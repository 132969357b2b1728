"""The plan on the web: its page and its HTML file show every part with the tables and charts
the Word document prints, from the same context."""

from __future__ import annotations

import base64
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from yjs.audit.models import AuditEvent
from yjs.governance import documents, services
from yjs.governance.models import BudgetLine
from yjs.organisation.models import Role, Service

from ..conftest import _user
from .helpers import open_docx

# The constructed figures (conftest): the budget lines add up to £1,245,881; proven
# reoffending in 2024-25 Q4 is 27 of 100 children; first time entrants run 13 to 17.
B5_CAPTION = "Table 1: B5 – budget costs and contributions 2024-25 (£)"
FTE_ALT = (
    "First time entrants: 2023-24 Q4 13.0, 2024-25 Q1 14.0, 2024-25 Q2 15.0, "
    "2024-25 Q3 16.0, 2024-25 Q4 17.0"
)


@pytest.fixture(autouse=True)
def engine(monkeypatch, source):
    """Pages read KPI results through the engine; here, through the constructed rows."""
    monkeypatch.setattr("yjs.governance.selectors.EngineSource", lambda *a, **k: source)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _captions(page: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", page)]


def _charts(page: str) -> list[tuple[str, str]]:
    """Each chart's (alt, base64 PNG) as the page embeds it."""
    return re.findall(
        r'<img class="yjs-chart" src="data:image/png;base64,([^"]+)" alt="([^"]+)"', page
    )


def test_the_plan_page_shows_every_part_with_its_tables_and_charts(client, plan, people, source):
    client.force_login(people["bea"])
    page = client.get(reverse("governance:plan", args=[plan.pk])).content.decode()
    context, _problems = services.review(plan.versions.get(), source)

    headings = [p["heading"] for p in context["parts"]]
    positions = [page.index(f">{html.escape(h)}</h2>") for h in headings]
    assert positions == sorted(positions)  # every part, in the document's order

    # B5 under "7. Resources and services", with its total computed from the budget lines.
    b5 = page.index(html.escape(B5_CAPTION))
    assert positions[6] < b5 < positions[7]
    b5_total = page[b5:].split("</table>")[0]
    assert re.search(r">Total</th>\s*<td[^>]*>436,000</td>", b5_total)
    assert "1,245,881" in b5_total

    # The KPI row prints the value with the children it counts, as the Word table does.
    assert re.search(
        r">Proven reoffending</th>\s*<td[^>]*>2024-25 Q4</td>\s*"
        r"<td[^>]*>27.0% \(27 of 100\)</td>\s*<td[^>]*>23.0% \(23 of 100\)</td>",
        page,
    )
    # Each chart is the Word file's PNG, with the alt text of the board pack and the Word file.
    charts = _charts(page)
    expected = [
        c for p in context["parts"] for c in p["blocks"].get("kpi_charts", {}).get("charts", [])
    ]
    assert len(charts) == len(expected) + 1 > 1  # and the organisation chart (Appendix 2)
    assert html.unescape(charts[-1][1]).startswith("Organisation chart: Head of service (1)")
    assert "About these figures" in page
    png, alt = charts[0]
    assert html.unescape(alt) == FTE_ALT == documents.chart_alt(expected[0])
    assert base64.b64decode(png) == documents.chart_png(expected[0])

    # Every captioned table of the context is on the page.
    captions = [
        b["caption"] for p in context["parts"] for b in p["blocks"].values() if b.get("caption")
    ]
    assert set(captions) <= set(_captions(page))
    assert "7 people in 5.20 posts (full-time equivalent)" in page


def test_a_phone_reads_each_cell_under_its_column_name(client, plan, people):
    client.force_login(people["bea"])
    page = client.get(reverse("governance:plan", args=[plan.pk])).content.decode()
    # B8: Asian female practitioners (conftest staff); the stacked table names the column.
    asian = page.split(">Asian</th>")[1].split("</tr>")[0]
    assert 'data-label="Practitioners, female">1</td>' in asian
    assert 'data-label="Managers strategic, male">0</td>' in asian


def test_the_html_export_downloads_audited_with_every_caption_of_the_word_document(
    client, plan, people
):
    client.force_login(people["bea"])
    events = AuditEvent.objects.count()
    response = client.get(reverse("governance:export", args=[plan.pk, 1, "html"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].endswith('.html"')
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == AuditEvent.Action.EXPORT and event.actor == people["bea"]
    assert event.changes["format"] == "html" and event.changes["version"] == 1
    assert event.changes["sha256"] == documents.sha256(response.content)

    exported = response.content.decode()
    word = open_docx(client.get(reverse("governance:export", args=[plan.pk, 1, "docx"])).content)
    word_captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert B5_CAPTION in word_captions and len(word_captions) >= 12
    text = html.unescape(exported)
    missing = [c for c in word_captions if c not in text]
    assert missing == []
    # The same headings in the same order: "Contents", then every part.
    assert [h.text for h in word.paragraphs if h.style.name == "Heading 1"] == [
        html.unescape(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", exported)
    ]
    # It stands alone: styles inside, charts inline, nothing fetched from the platform.
    assert "<style>" in exported and "/static/" not in exported
    assert len(_charts(exported)) == len(
        _charts(client.get(reverse("governance:plan", args=[plan.pk])).content.decode())
    )


def test_an_approved_plan_shows_its_frozen_figures_on_the_page_and_in_the_file(
    client, plan, people, source
):
    version = services.approve(plan.versions.get(), people["hana"], source)
    BudgetLine.objects.filter(agency="POLICE").update(payments_in_kind=Decimal(999))
    client.force_login(people["bea"])
    page = client.get(reverse("governance:plan_version", args=[plan.pk, version.number]))
    url = reverse("governance:export", args=[plan.pk, version.number, "html"])
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    for shown in (page.content.decode(), first.decode()):
        police = shown.split(">Police</th>")[1].split("</tr>")[0]
        assert ">106,400</td>" in police and "999" not in police


def test_another_services_board_member_cannot_download_the_html(client, plan):
    westshire = Service.objects.create(name="Westshire Youth Justice Service", code="westshire")
    client.force_login(_user(westshire, "wes", Role.BOARD_MEMBER))
    assert client.get(reverse("governance:export", args=[plan.pk, 1, "html"])).status_code == 404
    assert client.get(reverse("governance:plan", args=[plan.pk])).status_code == 404
