"""The Standards for children in the youth justice system (YJB and MoJ, 2019): five standards,
each with a strategic and an operational part, as the YJB's self-assessment tool asks services
to rate them. The labels summarise the standards' headings; the wording of the published
standards is the service's reference. Codes are stable: they are stored on each rating.
"""

from __future__ import annotations

from dataclasses import dataclass

from yjs.governance.models import NATIONAL_STANDARDS


@dataclass(frozen=True)
class SubStandard:
    code: str  # e.g. "NS1.S"
    standard: str  # "NS1"
    kind: str  # "Strategic" or "Operational"
    summary: str


SUB_STANDARDS: tuple[SubStandard, ...] = (
    SubStandard(
        "NS1.S",
        "NS1",
        "Strategic",
        "Partners and the board provide a prompt, child-first out-of-court and diversion "
        "offer, with joint decision making and oversight of its use and outcomes",
    ),
    SubStandard(
        "NS1.O",
        "NS1",
        "Operational",
        "Each child is assessed, the disposal decided with the police and delivered in a "
        "plan the child and family helped write, with victims' views heard",
    ),
    SubStandard(
        "NS2.S",
        "NS2",
        "Strategic",
        "The service and courts agree arrangements so that children are supported at court, "
        "reports are timely and sentencers trust the service",
    ),
    SubStandard(
        "NS2.O",
        "NS2",
        "Operational",
        "Pre-sentence and other reports are of good quality and proposals proportionate; "
        "children and parents understand what happens at court",
    ),
    SubStandard(
        "NS3.S",
        "NS3",
        "Strategic",
        "Partners provide the services children on court orders need (education, health, "
        "accommodation) and the board oversees their delivery",
    ),
    SubStandard(
        "NS3.O",
        "NS3",
        "Operational",
        "Assessment, planning, delivery and review of each court order is individual, "
        "child-first and manages risks to the child and to others",
    ),
    SubStandard(
        "NS4.S",
        "NS4",
        "Strategic",
        "Partners keep remands and custody to a minimum and hold secure establishments and "
        "placing authorities to shared arrangements",
    ),
    SubStandard(
        "NS4.O",
        "NS4",
        "Operational",
        "The service stays in contact with each child in custody, contributes to their "
        "sentence plan and reviews, and plans their release from the start",
    ),
    SubStandard(
        "NS5.S",
        "NS5",
        "Strategic",
        "Partners agree transitions (to adult services, between areas, on release) and "
        "resettlement support such as accommodation and education in good time",
    ),
    SubStandard(
        "NS5.O",
        "NS5",
        "Operational",
        "Each transition and resettlement is planned early with the child and family, and "
        "information is shared so support continues without a gap",
    ),
)
SUB_STANDARD_BY_CODE = {s.code: s for s in SUB_STANDARDS}
SUB_STANDARD_CHOICES = [(s.code, f"{s.code} {s.kind}") for s in SUB_STANDARDS]
STANDARD_TITLES = dict(NATIONAL_STANDARDS)
