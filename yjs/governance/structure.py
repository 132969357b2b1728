"""The Youth Justice Plan's structure (YJB, 2023; PLAN.md): sections, appendices, data blocks.

Kept in code, not the database, so every plan numbers itself from one list: the contents,
the headings and cross-references ("see Appendix 3") all come from `numbered()`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    blocks: tuple[str, ...] = ()
    needs_narrative: bool = True
    appendix: bool = False
    guidance: str = ""


SECTIONS: tuple[Part, ...] = (
    Part(
        "introduction",
        "Introduction, vision and strategy",
        guidance="The service's vision and strategy, and the local context.",
    ),
    Part(
        "child_first",
        "Child First",
        guidance="How the partnership sees children as children and diverts from stigma.",
    ),
    Part(
        "voice",
        "Voice of the child",
        guidance="How children's views shape the service, with examples.",
    ),
    Part(
        "governance",
        "Governance, leadership and partnership arrangements",
        ("board",),
        guidance="How the management board oversees the service; membership is in an appendix.",
    ),
    Part(
        "board_development",
        "Board development",
        guidance="What the board has done to develop itself, and will do.",
    ),
    Part(
        "previous_plan",
        "Progress on the previous plan",
        ("previous_actions",),
        guidance="What the previous plan set out to do and how far it got.",
    ),
    Part(
        "resources",
        "Resources and services",
        ("b5", "funding_streams"),
        guidance="How the service is funded and what it delivers; table B5 is filled in.",
    ),
    Part(
        "performance",
        "Performance",
        ("targets",),
        guidance="Local performance and targets; the bands are filled in from the plan.",
    ),
    Part(
        "kpis",
        "National key performance indicators",
        ("kpi_table", "kpi_charts"),
        guidance="Commentary on the national KPIs; the tables come from the KPI engine.",
    ),
    Part(
        "priorities",
        "Priorities",
        ("priorities",),
        guidance="An introduction to the priorities; each priority has its own narrative.",
    ),
    Part(
        "standards",
        "Standards for children in the youth justice system",
        ("standards",),
        guidance="The National Standards self-assessment and what follows from it.",
    ),
    Part(
        "workforce",
        "Workforce development",
        ("staffing_summary",),
        guidance="Training and development of staff and volunteers.",
    ),
    Part(
        "evidence",
        "Evidence-based practice, innovation and evaluation",
        guidance="Practice grounded in evidence, new work and its evaluation.",
    ),
    Part(
        "service_development",
        "Service development plan",
        ("action_summary",),
        guidance="What the service will develop; the full action plan is an appendix.",
    ),
    Part(
        "risks",
        "Challenges, risks and issues",
        ("risks",),
        guidance="The register is filled in; add context here.",
    ),
    Part("sign_off", "Sign-off, submission and approval", ("sign_off",), needs_narrative=False),
)

APPENDICES: tuple[Part, ...] = (
    Part(
        "board_membership",
        "Board membership",
        ("board_members", "board_attendance"),
        needs_narrative=False,
        appendix=True,
    ),
    Part(
        "service_structure",
        "Service structure",
        ("staff_by_role",),
        needs_narrative=False,
        appendix=True,
        guidance="How the service is organised (teams, seconded staff).",
    ),
    Part(
        "staffing",
        "Staffing by role, sex and ethnicity (table B8)",
        ("b8",),
        needs_narrative=False,
        appendix=True,
    ),
    Part(
        "action_plan",
        "Service development and action plan",
        ("actions",),
        needs_narrative=False,
        appendix=True,
    ),
    Part("glossary", "Glossary", ("glossary",), needs_narrative=False, appendix=True),
)

PARTS = SECTIONS + APPENDICES
PART_BY_KEY = {p.key: p for p in PARTS}


@dataclass(frozen=True)
class NumberedPart:
    part: Part
    number: str  # "7" or "3" for Appendix 3

    @property
    def label(self) -> str:
        """How cross-references name it: "section 7" or "Appendix 3"."""
        return f"Appendix {self.number}" if self.part.appendix else f"section {self.number}"

    @property
    def heading(self) -> str:
        if self.part.appendix:
            return f"Appendix {self.number}: {self.part.title}"
        return f"{self.number}. {self.part.title}"


def numbered() -> list[NumberedPart]:
    """Sections 1…n then Appendices 1…m, numbered in order (the one numbering rule)."""
    out = [NumberedPart(p, str(i)) for i, p in enumerate(SECTIONS, start=1)]
    out += [NumberedPart(p, str(i)) for i, p in enumerate(APPENDICES, start=1)]
    return out


GLOSSARY = (
    ("AssetPlus", "The YJB's assessment framework for children in the youth justice system."),
    ("Child", "Anyone who has not yet reached their 18th birthday."),
    (
        "Child First",
        "The YJB's guiding principle: see children as children, build pro-social "
        "identity, collaborate with children and divert them from stigma.",
    ),
    ("Diversion", "Work that keeps a child out of the formal system after an offence."),
    ("ETE", "Education, training and employment."),
    ("FTE", "First time entrant: a child receiving their first caution or conviction."),
    ("FTE (posts)", "Full-time equivalent posts, written so to avoid the clash with FTE."),
    ("HMIP", "HM Inspectorate of Probation, which inspects youth justice services."),
    ("KPI", "Key performance indicator, as set by the Youth Justice Board."),
    (
        "OOCD",
        "Out-of-court disposal: community resolution, Outcome 22, youth caution or youth "
        "conditional caution.",
    ),
    ("RAG", "Red, amber, green: a rating of progress or of performance against a target."),
    (
        "Remand",
        "A child refused bail, remanded to local authority or youth detention accommodation.",
    ),
    (
        "RRI",
        "Relative rate index: how over-represented a group is compared with the local "
        "10-17 population.",
    ),
    ("YJB", "Youth Justice Board for England and Wales."),
    ("YJS", "Youth justice service (formerly youth offending team)."),
)
