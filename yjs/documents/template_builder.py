"""The default Word templates of the letters (docxtpl tags), built with python-docx as
`governance.template_builder` builds the plan's, so a default always matches its kind's data
(`letters`). A service can download one, re-brand and reword it in Word keeping the tags, and
upload it as its own (`services.set_letter_template`).

Letters to a child are written in plain, kind English: short sentences, "you" and "we".
"""

from __future__ import annotations

import io
from functools import cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from .models import LetterKindCode

DARK = RGBColor(0x0B, 0x0C, 0x0C)


def _document():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(8)
    for name, size in (("Heading 1", 18), ("Heading 2", 14)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = DARK
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin = section.right_margin = Cm(2.2)
    return doc


def p(doc, text: str = "", style: str | None = None, bold: bool = False, right: bool = False):
    """A paragraph whose text is one run, so the tags in it stay whole for docxtpl."""
    para = doc.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        run.bold = bold or None
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return para


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _letter_head(doc) -> None:
    p(doc, "{{ service.name }}", bold=True, right=True)
    p(doc, "{{ today }}", right=True)
    p(doc, "{{ recipient.name }}")
    p(doc, "{%p for line in recipient.address_lines %}")
    p(doc, "{{ line }}")
    p(doc, "{%p endfor %}")
    p(doc, "Dear {{ recipient.salutation }},")


def _copy_note(doc) -> None:
    """A letter to a parent or carer is the child's letter, with a line saying so."""
    p(doc, "{%p if not recipient.is_child %}")
    p(
        doc,
        "We are writing to you as {{ child.name }}'s {{ recipient.relationship|lower }}. "
        "This is a copy of the letter we have sent to {{ child.name }}.",
    )
    p(doc, "{%p endif %}")


def _sign_off(doc, reference: bool = True) -> None:
    p(doc, "Yours sincerely,")
    p(doc, "{{ worker.name }}")
    p(doc, "{{ service.name }}")
    if reference:  # never in a victim's letter: nothing that points to the child
        p(doc, "Our reference: {{ child.reference }}")


def _warning(doc) -> None:
    p(doc, "A warning about your {{ warning.order|lower }}", "Heading 1")
    _copy_note(doc)
    p(doc, "We are writing because we gave you a warning on {{ warning.date }}.")
    p(doc, "This is why: {{ warning.reason }}")
    p(doc, "{%p if warning.missed_appointment %}")
    p(doc, "You did not come to your appointment on {{ warning.missed_appointment }}.")
    p(doc, "{%p endif %}")
    p(
        doc,
        "We want to help you finish your order. If you get two warnings in 12 months and then "
        "miss again without a good reason, {{ warning.consequence }}.",
    )
    p(
        doc,
        "If something is making it hard to come to your appointments, please tell us. "
        "We will listen, and we can help.",
    )


def _victim(doc) -> None:
    p(doc, "We would like to hear from you", "Heading 1")
    p(
        doc,
        "I work for {{ service.name }}. A young person has been dealt with by the youth "
        "justice service for an offence that affected you.",
    )
    p(
        doc,
        "You can tell us how the offence affected you, and what would help put things right. "
        "If you want to, you can take part in restorative justice: this can mean a letter, or "
        "a meeting with the young person with someone there to support you.",
    )
    p(doc, "You do not have to do anything. It is your choice, and you can change your mind.")
    p(doc, "If you would like to talk, please contact me using the details at the top.")


def _panel(doc) -> None:
    p(doc, "You are invited to a panel meeting", "Heading 1")
    _copy_note(doc)
    p(doc, "We would like you to come to an {{ panel.kind }} on {{ panel.date }}.")
    p(doc, "{{ panel.about }}")
    p(
        doc,
        "Please bring a parent or carer with you. {{ worker.name }} will tell you the time and "
        "the place, and can answer any questions before the day.",
    )
    p(doc, "If you cannot come, please tell us as soon as you can.")


def _appointment(doc) -> None:
    p(doc, "Your next appointment", "Heading 1")
    _copy_note(doc)
    p(
        doc,
        "You have an appointment with {{ appointment.with }} on {{ appointment.date }} at "
        "{{ appointment.time }}.",
    )
    p(doc, "Where: {{ appointment.place }}")
    p(doc, "What it is for: {{ appointment.purpose }}")
    p(doc, "If you cannot come, please tell us before the day so we can find another time.")


def _report(doc) -> None:
    """A draft for the report's author: the record's facts filled in, the judgement theirs."""
    p(doc, "{{ service.name }}", bold=True, right=True)
    p(doc, "Pre-sentence report: draft", "Heading 1")
    p(doc, "For {{ report.court }}, at the hearing of {{ report.hearing_date }}.")
    p(doc, "Requested on {{ report.requested_on }}; due on {{ report.due_on }}.")
    p(doc, "Author: {{ worker.name }}. Drafted on {{ today }}.")
    p(doc, "About the child", "Heading 2")
    p(
        doc,
        "{{ child.first_name }} {{ child.last_name }}{% if child.preferred_name %} (known as "
        "{{ child.preferred_name }}){% endif %}, born {{ child.date_of_birth }}, "
        "reference {{ child.reference }}.",
    )
    p(doc, "The offences before the court", "Heading 2")
    p(doc, "{%p for o in offences %}")
    p(doc, "{{ o.description }} ({{ o.category }}), on {{ o.date }}.", "List Bullet")
    p(doc, "{%p endfor %}")
    p(doc, "Earlier outcomes", "Heading 2")
    p(doc, "{%p if outcomes %}")
    p(doc, "{%p for o in outcomes %}")
    p(doc, "{{ o.outcome }}, {{ o.date }}.", "List Bullet")
    p(doc, "{%p endfor %}")
    p(doc, "{%p else %}")
    p(doc, "None recorded before this report was asked for.")
    p(doc, "{%p endif %}")
    p(doc, "Assessment", "Heading 2")
    p(doc, "{%p if assessment.recorded %}")
    p(
        doc,
        "{{ assessment.kind }} completed on {{ assessment.completed_on }}. Likelihood of "
        "reoffending: {{ assessment.likelihood_of_reoffending }}. Risk of serious harm: "
        "{{ assessment.risk_of_serious_harm }}. Safety and wellbeing: "
        "{{ assessment.safety_and_wellbeing }}.",
    )
    p(doc, "{{ assessment.needs }}")
    p(doc, "{%p else %}")
    p(doc, "No assessment was completed before this report was asked for.")
    p(doc, "{%p endif %}")
    p(doc, "Proposal", "Heading 2")
    p(doc, "The service's proposal as recorded: {{ report.proposal }}.")


BODIES = {
    LetterKindCode.WARNING: _warning,
    LetterKindCode.VICTIM_CONTACT: _victim,
    LetterKindCode.PANEL_INVITATION: _panel,
    LetterKindCode.APPOINTMENT: _appointment,
}


@cache
def letter_template(code: str) -> bytes:
    """The default Word template of one kind of letter."""
    doc = _document()
    if code == LetterKindCode.PSR_DRAFT:
        _report(doc)
    else:
        _letter_head(doc)
        BODIES[code](doc)
        _sign_off(doc, reference=code != LetterKindCode.VICTIM_CONTACT)
    return _save(doc)
