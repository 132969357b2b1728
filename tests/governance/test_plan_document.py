"""The plan's Word document, opened with python-docx as a reader would open it."""

from __future__ import annotations

from yjs.governance import documents, services
from yjs.governance.structure import APPENDICES, SECTIONS

from .helpers import contents, headings, number, open_docx, rows, table_after


def _render(plan, source):
    version = plan.versions.get()
    context, problems = services.review(version, source)
    return open_docx(documents.render_plan_docx(context)), context, problems


def test_sections_in_yjb_order_numbered_and_matching_the_contents(plan, source):
    doc, _context, problems = _render(plan, source)
    assert problems == []
    expected = [f"{i}. {s.title}" for i, s in enumerate(SECTIONS, start=1)]
    expected += [f"Appendix {i}: {a.title}" for i, a in enumerate(APPENDICES, start=1)]
    found = [h for h in headings(doc) if h != "Contents"]
    assert found == expected
    assert found[0] == "1. Introduction, vision and strategy"
    assert found[15] == "16. Sign-off, submission and approval"
    assert contents(doc) == found


def test_priorities_are_numbered_within_their_section(plan, source):
    doc, _c, _p = _render(plan, source)
    assert headings(doc, 2)[-2:] == ["10.1 Prevention", "10.2 Remands"]


def test_b5_rows_and_columns_add_up(plan, source):
    doc, _c, _p = _render(plan, source)
    table = rows(table_after(doc, "B5 – budget costs and contributions 2024-25"))
    assert table[0] == [
        "Agency",
        "Staffing costs",
        "Payments in kind",
        "Other delegated funds",
        "Total",
    ]
    body, total = table[1:-1], table[-1]
    assert [r[0] for r in body] == [
        "Youth Justice Board",
        "Local Authority",
        "Police",
        "Police and Crime Commissioner",
        "Probation",
        "Health",
        "Other",
    ]
    for r in body:
        assert number(r[1]) + number(r[2]) + number(r[3]) == number(r[4])
    for col in (1, 2, 3, 4):
        assert sum(number(r[col]) for r in body) == number(total[col])
    # hand-worked: 436,000 + 207,800 + 602,081
    assert total == ["Total", "436,000", "207,800", "602,081", "1,245,881"]


def test_funding_streams_with_end_dates(plan, source):
    doc, _c, _p = _render(plan, source)
    table = rows(table_after(doc, "Additional funding streams"))
    assert table[1][:4] == ["Turnaround", "Ministry of Justice", "120,000", "31 March 2025"]


def test_b8_totals_add_up(plan, source):
    doc, _c, _p = _render(plan, source)
    table = rows(table_after(doc, "B8 – staffing by role, sex and ethnicity"))
    body, total = table[2:-1], table[-1]
    assert [r[0] for r in body] == [
        "Asian",
        "Black",
        "Mixed",
        "White",
        "Any other ethnic group",
        "Not known",
    ]
    for col in range(1, 19):
        assert sum(int(r[col]) for r in body) == int(total[col])
    for r in body:  # each row's M and F totals equal the sum over roles
        assert sum(int(x) for x in r[1:17:2]) == int(r[17])
        assert sum(int(x) for x in r[2:17:2]) == int(r[18])
    assert total[17:] == ["3", "4"]  # 3 men, 4 women
    white = body[3]
    assert white[2] == "1" and white[6] == "1" and white[13] == "1"  # strategic F, pract. F, ROP M


def test_kpi_figures_are_the_engines_rows(plan, source):
    """fte is the 1st reported KPI: 10 × 1 + quarter index (7 for 2024-25 Q4, 3 a year before)."""
    doc, context, _p = _render(plan, source)
    table = rows(table_after(doc, "National key performance indicators, 2024-25 Q4"))
    fte = next(r for r in table if r[0] == "First time entrants")
    assert fte[2:5] == ["17", "13", "Worsening"]
    assert fte[5] == "148" and fte[7] == "183"  # national and family comparators
    assert fte[9] == "Green"  # below 224
    reoffending = next(r for r in table if r[0] == "Proven reoffending")
    assert reoffending[2] == "27.0% (27 of 100)"  # every percentage with its n of N
    refs = {f["ref"]: f["value"] for f in context["quoted"]}
    assert refs["fte/fte_rate/2024-25 Q4/all/all"] == 17.0
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "FTE rate 17." in text  # [[kpi:fte]] in a priority quotes the same result


def test_charts_are_embedded(plan, source):
    doc, _c, _p = _render(plan, source)
    assert len(doc.inline_shapes) == 14  # a trend chart per reported KPI, the organisation chart


def test_board_and_action_plan_appendices(plan, source):
    doc, _c, _p = _render(plan, source)
    members = rows(table_after(doc, "Board membership"))
    assert members[1][:2] == ["Director of Children's Services", "Dana Dale"]
    actions = rows(table_after(doc, "Service development and action plan 2024-2026"))
    assert actions[1][0] == "1.1" and actions[1][5] == "31 March 2025"
    assert actions[2][5] == "Quarterly until March 2026" and actions[2][8] == "Off track"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "The service development and action plan in Appendix 4 has 2 actions" in text


def test_approved_export_is_reproducible(plan, source, people):
    version = plan.versions.get()
    services.approve(version, people["hana"], source)
    first, _ = services.export(version, "docx")
    second, _ = services.export(version, "docx")
    assert first == second
    hashes = {e.sha256 for e in version.exports.all()}
    assert hashes == {documents.sha256(first)}
    assert version.snapshot_ref == "snapshots/2025-05-01"


def test_approval_refused_while_checks_fail(plan, source, people):
    import pytest

    version = plan.versions.get()
    services.save_section(version, "voice", "", people["hana"])
    with pytest.raises(services.ExportRefused, match="Voice of the child"):
        services.approve(version, people["hana"], source)


def test_no_internal_code_is_printed(plan, source):
    """Measures are named in words ("fte_rate" is the engine's name, not the reader's)."""
    from yjs.performance.engine import KPIS

    doc, _context, _p = _render(plan, source)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    codes = {m.id for k in KPIS for m in k.measures if "_" in m.id}
    assert [c for c in codes if c in text] == []
    assert "First time entrants per 100,000 children aged 10-17" in cells


def test_the_glossary_holds_the_terms_the_plan_uses_and_only_those(plan, source):
    from yjs.governance.selectors import glossary_of

    found = glossary_of({"a": ["The RRI for FTEs", {"b": "Often a YJB KPI"}]})
    assert [r["term"] for r in found] == ["KPI", "RRI", "YJB"]  # "FTEs" is not the term FTE
    _doc, context, _p = _render(plan, source)
    glossary = next(p for p in context["parts"] if "glossary" in p["blocks"])
    terms = [r["term"] for r in glossary["blocks"]["glossary"]["rows"]]
    assert "KPI" in terms and "FTE" in terms
    rest = str([p for p in context["parts"] if p is not glossary])
    assert all(t.split(" (")[0].casefold() in rest.casefold() for t in terms)
    assert "AssetPlus" not in terms  # never mentioned in this plan, so not explained
