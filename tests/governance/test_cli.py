"""`yj plan …` and `yj board-pack …`: files written, one readable line on error."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from .helpers import headings, open_docx


@pytest.fixture(autouse=True)
def engine(monkeypatch, source):
    monkeypatch.setattr(
        "yjs.governance.management.commands._common.EngineSource", lambda *a, **k: source
    )


def test_plan_list_as_json(plan, capsys):
    call_command("plan", "list", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "id": plan.pk,
            "service": "Northshire Youth Justice Service",
            "title": "Youth Justice Plan",
            "period": "2024-2026",
            "version": 1,
            "year": "2024-25",
            "status": "draft",
        }
    ]


def test_plan_export_docx(plan, tmp_path):
    out = tmp_path / "plan.docx"
    call_command("plan", "export", "--plan", str(plan.pk), "--format", "docx", "--out", str(out))
    assert headings(open_docx(out.read_bytes()))[1] == "1. Introduction, vision and strategy"


def test_plan_check_and_approve(plan, capsys):
    call_command("plan", "check", "--plan", str(plan.pk))
    assert "All consistency checks pass." in capsys.readouterr().out
    call_command("plan", "approve", "--plan", str(plan.pk))
    assert plan.versions.get().status == "APPROVED"


def test_errors_are_one_readable_line(plan, tmp_path):
    with pytest.raises(CommandError, match=r"^No plan with id 999 \(see `yj plan list`\)$"):
        call_command("plan", "export", "--plan", "999", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("board_pack", "--quarter", "spring", "--out", str(tmp_path / "x.html"))
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("plan", "export", "--plan", str(plan.pk), "--out", "/nonexistent/x.docx")


def test_default_template_is_a_docxtpl_template(tmp_path):
    from docxtpl import DocxTemplate

    out = tmp_path / "template.docx"
    call_command("plan", "template", "--out", str(out))
    names = DocxTemplate(str(out)).get_undeclared_template_variables()
    assert {"contents", "sections", "appendices", "service"} <= names


def test_board_pack_docx(plan, tmp_path):
    out = tmp_path / "pack.docx"
    call_command("board_pack", "--quarter", "2024-25Q1", "--format", "docx", "--out", str(out))
    found = headings(open_docx(out.read_bytes()))
    assert found[:8] == [
        "Contents",
        "1. Key performance indicators",
        "2. Trends",
        "3. Disproportionality",
        "4. Remand and custody episodes",
        "5. First time entrants",
        "6. Budget position",
        "7. Action plan progress",
    ]
    # then a numbered section for each block the apps register (yjs.governance.blocks)
    from yjs.governance import blocks

    extra = [b.title for b in blocks.registered() if b.board_pack]
    assert found[8:] == [f"{n}. {title}" for n, title in enumerate(extra, 8)]


@pytest.mark.skipif(not __import__("shutil").which("libreoffice"), reason="needs LibreOffice")
def test_plan_export_pdf(plan, tmp_path):
    out = tmp_path / "plan.pdf"
    call_command("plan", "export", "--plan", str(plan.pk), "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
