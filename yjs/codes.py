"""Code lists shared by casework (model choices) and performance (reference tables in DuckDB).

One source for every code so the app, the canonical dataset and the KPI SQL agree.
Definitions: shared/domain/KPIS.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeCode:
    code: str
    label: str
    group: str | None  # PRE_COURT, FIRST_TIER, COMMUNITY, CUSTODY
    type_of_order: str | None  # NS_OOCD, YC, YCC, RO, YRO, CUST (None: not in KPI 1-10 scope)
    substantive: bool
    oocd: bool
    rank: int | None  # 1 = most serious


OUTCOMES: tuple[OutcomeCode, ...] = (
    OutcomeCode("S259_DETENTION", "Detention at His Majesty's pleasure (s259)", "CUSTODY", "CUST", True, False, 1),
    OutcomeCode("S250_DETENTION", "Long-term detention (s250)", "CUSTODY", "CUST", True, False, 2),
    OutcomeCode("DTO", "Detention and training order", "CUSTODY", "CUST", True, False, 3),
    OutcomeCode("YRO", "Youth rehabilitation order", "COMMUNITY", "YRO", True, False, 4),
    OutcomeCode("REFERRAL_ORDER", "Referral order", "FIRST_TIER", "RO", True, False, 5),
    OutcomeCode("REPARATION_ORDER", "Reparation order", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("FINE", "Fine", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("CONDITIONAL_DISCHARGE", "Conditional discharge", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("ABSOLUTE_DISCHARGE", "Absolute discharge", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("COMPENSATION_ORDER", "Compensation order", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("OTHER_FIRST_TIER", "Other first-tier court outcome", "FIRST_TIER", None, True, False, 6),
    OutcomeCode("YOUTH_CONDITIONAL_CAUTION", "Youth conditional caution", "PRE_COURT", "YCC", True, True, 7),
    OutcomeCode("YOUTH_CAUTION", "Youth caution", "PRE_COURT", "YC", True, True, 8),
    OutcomeCode("OUTCOME_22_DEFERRED", "Outcome 22 deferred prosecution", "PRE_COURT", "NS_OOCD", False, True, 9),
    # Outcome 23 (Home Office outcomes framework, for children): prosecution deferred while the
    # child completes agreed diversionary conditions; no admission needed; NFA on completion.
    # Not a caution or conviction, so as Outcome 22 deferred (docs/kpis.md, "New outcome codes").
    OutcomeCode("OUTCOME_23", "Outcome 23 (deferred prosecution of a child)", "PRE_COURT", "NS_OOCD", False, True, 9),
    OutcomeCode("OUTCOME_22", "Outcome 22 (diversionary activity)", "PRE_COURT", "NS_OOCD", False, True, 10),
    OutcomeCode("OUTCOME_20_21", "Outcome 20 or 21", "PRE_COURT", "NS_OOCD", False, True, 10),
    OutcomeCode("COMMUNITY_RESOLUTION", "Community resolution", "PRE_COURT", "NS_OOCD", False, True, 11),
    OutcomeCode("REPRIMAND", "Reprimand (pre-2013)", "PRE_COURT", None, True, False, None),
    OutcomeCode("FINAL_WARNING", "Final warning (pre-2013)", "PRE_COURT", None, True, False, None),
    # A civil order (Crime and Policing Bill, youth diversion orders): made on a police
    # application to manage a young person's terrorism-related risk, no conviction. Recorded,
    # never counted (no tier, not substantive, not an OOCD): docs/kpis.md, "New outcome codes".
    OutcomeCode("YOUTH_DIVERSION_ORDER", "Youth diversion order (civil order)", None, None, False, False, None),
    OutcomeCode("NO_FURTHER_ACTION", "No further action", None, None, False, False, None),
    OutcomeCode("NOT_KNOWN", "Not known", None, None, False, False, None),
    OutcomeCode("OTHER", "Other", None, None, False, False, None),
)
OUTCOME_BY_CODE = {o.code: o for o in OUTCOMES}
OUTCOME_CHOICES = [(o.code, o.label) for o in OUTCOMES]

# Statutory lengths of the orders whose length the record holds (Sentencing Act 2020): a
# referral order lasts 3 to 12 months (s.83), a youth rehabilitation order ends within 3 years
# (sch. 6; no minimum), a detention and training order is 4, 6, 8, 10, 12, 18 or 24 months
# long (s.236). The length is required for these orders.
ORDER_LENGTH_MONTHS: dict[str, tuple[int, ...]] = {
    "REFERRAL_ORDER": tuple(range(3, 13)),
    "YRO": tuple(range(1, 37)),
    "DTO": (4, 6, 8, 10, 12, 18, 24),
}
_ORDER_LENGTH_RULE = {
    "REFERRAL_ORDER": "A referral order must be from 3 to 12 months long",
    "YRO": "A youth rehabilitation order must be from 1 to 36 months (3 years) long",
    "DTO": "A detention and training order must be 4, 6, 8, 10, 12, 18 or 24 months long",
}


def order_length_problem(code: str, months: int | None) -> str | None:
    """Why an order's length in months is not one the law allows, or None."""
    allowed = ORDER_LENGTH_MONTHS.get(code)
    if allowed is None:
        return None
    name = OUTCOME_BY_CODE[code].label.lower()
    if months is None:
        return f"Enter the length of the {name} in months"
    return None if months in allowed else _ORDER_LENGTH_RULE[code]


OUTCOME_GROUP_LABELS = {
    "PRE_COURT": "Pre-court",
    "FIRST_TIER": "First-tier",
    "COMMUNITY": "Community",
    "CUSTODY": "Custody",
}

TYPE_OF_ORDER_LABELS = {
    "NS_OOCD": "Non-substantive out of court disposals with YJS intervention",
    "YC": "Youth Cautions with YJS intervention",
    "YCC": "Youth Conditional Cautions",
    "RO": "Referral Orders",
    "YRO": "Youth Rehabilitation Orders",
    "CUST": "Custodial sentences",
}

APPEAL_STATUS_CHOICES = [
    ("NONE", "No appeal"),
    ("PENDING", "Appeal pending"),
    ("UNSUCCESSFUL", "Appeal unsuccessful"),
    ("CHANGED_ON_APPEAL", "Changed on appeal"),
    ("SUCCESSFUL", "Appeal successful"),
]

RESIDENCE_CHOICES = [("LOCAL", "Lives in the service's area"), ("OTHER", "Lives elsewhere"),
                     ("NOT_KNOWN", "Not known")]

# Remand decisions (§2.4). Secure remands are the first two.
SECURE_REMANDS = ("REMAND_IN_CUSTODY", "COURT_ORDERED_SECURE_REMAND")
REMAND_CHOICES = [
    ("REMAND_IN_CUSTODY", "Remand to youth detention accommodation (YDA)"),
    ("COURT_ORDERED_SECURE_REMAND", "Court-ordered secure remand"),
    ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION", "Remand to local authority accommodation (RILA)"),
    ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_TAG", "RILA with tag"),
    ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_GPS_TAG", "RILA with GPS tag"),
    ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_RADIO_TAG", "RILA with radio tag"),
    ("REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_CURFEW", "RILA with curfew"),
    ("UNCONDITIONAL_BAIL", "Unconditional bail"),
    ("CONDITIONAL_BAIL", "Conditional bail"),
    ("BAIL_WITH_ISS", "Bail with intensive supervision and surveillance"),
]

# Census 2021 ethnic categories (19) and the YJB reporting group of each (§2.5).
ETHNICITY = (
    ("WHITE_BRITISH", "White: English, Welsh, Scottish, Northern Irish or British", "WHITE"),
    ("WHITE_IRISH", "White: Irish", "WHITE"),
    ("WHITE_GYPSY_IRISH_TRAVELLER", "White: Gypsy or Irish Traveller", "WHITE"),
    ("WHITE_ROMA", "White: Roma", "WHITE"),
    ("WHITE_OTHER", "White: Any other White background", "WHITE"),
    ("MIXED_WHITE_ASIAN", "Mixed: White and Asian", "MIXED"),
    ("MIXED_WHITE_BLACK_AFRICAN", "Mixed: White and Black African", "MIXED"),
    ("MIXED_WHITE_BLACK_CARIBBEAN", "Mixed: White and Black Caribbean", "MIXED"),
    ("MIXED_OTHER", "Mixed: Any other Mixed or multiple background", "MIXED"),
    ("BLACK_AFRICAN", "Black: African", "BLACK"),
    ("BLACK_CARIBBEAN", "Black: Caribbean", "BLACK"),
    ("BLACK_OTHER", "Black: Any other Black, Black British or Caribbean background", "BLACK"),
    ("ASIAN_BANGLADESHI", "Asian: Bangladeshi", "ASIAN"),
    ("ASIAN_CHINESE", "Asian: Chinese", "ASIAN"),
    ("ASIAN_INDIAN", "Asian: Indian", "ASIAN"),
    ("ASIAN_PAKISTANI", "Asian: Pakistani", "ASIAN"),
    ("ASIAN_OTHER", "Asian: Any other Asian background", "ASIAN"),
    ("OTHER_ARAB", "Other ethnic group: Arab", "OTHER"),
    ("OTHER_ANY", "Other ethnic group: Any other ethnic group", "OTHER"),
    ("NOT_STATED", "Not stated or refused", "NOT_KNOWN"),
)
ETHNICITY_CHOICES = [(code, label) for code, label, _ in ETHNICITY]
ETHNICITY_GROUP = {code: group for code, _, group in ETHNICITY}
ETHNICITY_GROUP_LABELS = {
    "WHITE": "White",
    "MIXED": "Mixed",
    "BLACK": "Black or Black British",
    "ASIAN": "Asian or Asian British",
    "OTHER": "Other Ethnic Group",
    "NOT_KNOWN": "Information not obtainable",
}

SEX_CHOICES = [("1", "Male"), ("2", "Female"), ("0", "Not known"), ("9", "Not specified")]
GENDER_CHOICES = [("1", "Male"), ("2", "Female"), ("3", "Non-binary or other"), ("0", "Not known")]

CARE_STATUS_CHOICES = [
    ("LOOKED_AFTER", "Looked after (child in care)"),
    ("CHILD_PROTECTION_PLAN", "Child protection plan"),
    ("CHILD_IN_NEED", "Child in need"),
    ("EARLY_HELP_PLAN", "Early Help plan"),
    ("EARLY_HELP_REFERRAL", "Early Help referral"),
]

SUITABILITY_CHOICES = [("SUITABLE", "Suitable"), ("UNSUITABLE", "Unsuitable"), ("UNKNOWN", "Not known")]
YES_NO_CHOICES = [("YES", "Yes"), ("NO", "No")]

ACCOMMODATION = (
    ("STC", "Secure training centre", "STC"),
    ("SCH", "Secure children's home", "SCH"),
    ("YOI", "Young offender institution", "YOI"),
    ("LIVING_WITH_PARENTS", "Living with parent(s)", "Living with parent(s)"),
    ("AT_HOME", "At home", "Living with parent(s)"),
    ("LIVING_WITH_FAMILY", "Living with family (not parents)", "Living with family"),
    ("LIVING_WITH_FRIENDS", "Living with friends", "Living with friends"),
    ("INDEPENDENT_LIVING", "Independent living", "Independent living"),
    ("FOSTER_CARE_LA", "Foster care (local authority)", "Foster care"),
    ("FOSTER_CARE_PRIVATE", "Foster care (private)", "Foster care"),
    ("RESIDENTIAL_UNIT_LA", "Residential unit (local authority)", "Residential unit"),
    ("RESIDENTIAL_UNIT_PRIVATE", "Residential unit (private)", "Residential unit"),
    ("RESIDENTIAL_UNIT_SECURE", "Residential unit (secure)", "Residential unit"),
    ("SUPPORTED_ACCOMMODATION", "Supported accommodation or lodgings", "Supported accommodation"),
    ("TEMPORARY_ACCOMMODATION", "Temporary accommodation", "Temporary accommodation"),
    ("BAIL_HOSTEL", "Bail hostel", "Temporary accommodation"),
    ("HOSPITAL", "Hospital", "Other"),
    ("TRAVELLER_SITE", "Traveller site", "Other"),
    ("OTHER", "Other", "Other"),
    ("BED_AND_BREAKFAST", "Bed and breakfast", "Bed and breakfast"),
    ("NO_FIXED_ABODE", "No fixed abode", "No fixed abode"),
    ("UNKNOWN", "Not known", "Not known"),
)
ACCOMMODATION_CHOICES = [(c, label) for c, label, _ in ACCOMMODATION]
ACCOMMODATION_GROUP = {c: g for c, _, g in ACCOMMODATION}
# Always unsuitable whatever is recorded (YJB recording guidance, KPIS.md KPI 1).
ALWAYS_UNSUITABLE_ACCOMMODATION = ("BED_AND_BREAKFAST", "NO_FIXED_ABODE", "UNKNOWN")

ETE_PROVISION = (
    ("SCHOOL_FULL_TIME", "School (full time)", "School"),
    ("SCHOOL_PART_TIME", "School (part time)", "School"),
    ("MAINSTREAM_SCHOOL", "Mainstream school", "School"),
    ("ELECTIVE_HOME_EDUCATION", "Elective home education", "Elective home education"),
    ("PUPIL_REFERRAL_UNIT", "Pupil referral unit", "Pupil referral unit"),
    ("ALTERNATIVE_PROVISION", "Alternative provision", "Alternative provision"),
    ("ALTERNATIVE_PROVISION_ABOVE_SCHOOL_AGE", "Alternative provision (above school age)",
     "Alternative provision"),
    ("COLLEGE", "College", "College"),
    ("UNIVERSITY", "University", "University"),
    ("EDUCATION_REENGAGEMENT", "Education re-engagement programme", "Education re-engagement programme"),
    ("TRAINEESHIP", "Traineeship", "Traineeship"),
    ("APPRENTICESHIP", "Apprenticeship or training course", "Apprenticeship/training course"),
    ("SUPPORTED_INTERNSHIP", "Supported internship", "Supported internship"),
    ("MENTORING_CIRCLE", "Mentoring circle", "Mentoring circle"),
    ("FULL_TIME_EMPLOYMENT", "Full-time employment", "Employment"),
    ("PART_TIME_EMPLOYMENT", "Part-time employment", "Employment"),
    ("EMPLOYMENT", "Employment", "Employment"),
    ("SELF_EMPLOYMENT", "Self-employment", "Self-employment"),
    ("VOLUNTARY_WORK", "Voluntary work", "Voluntary work"),
    ("OTHER", "Other", "Alternative provision"),
    ("NONE", "No education, training or employment", "None"),
)
ETE_PROVISION_CHOICES = [(c, label) for c, label, _ in ETE_PROVISION]
ETE_PROVISION_GROUP = {c: g for c, _, g in ETE_PROVISION}

MENTAL_HEALTH_INTERVENTIONS = [
    ("GETTING_ADVICE", "Getting advice"),
    ("GETTING_HELP", "Getting help"),
    ("GETTING_ADDITIONAL_HELP", "Getting additional help"),
    ("GETTING_RISK_SUPPORT", "Getting risk support"),
    ("NO_INTERVENTION", "No intervention"),
]
SUBSTANCE_MISUSE_INTERVENTIONS = [
    ("TARGETED_INTERVENTION", "Targeted intervention"),
    ("SPECIALIST_SUBSTANCE_MISUSE_TREATMENT", "Specialist substance misuse treatment"),
    ("COMPLEX_CARE", "Complex care"),
    ("NO_INTERVENTION", "No intervention"),
]

OFFENCE_CATEGORIES = [
    ("VIOLENCE_AGAINST_THE_PERSON", "Violence against the person"),
    ("ROBBERY", "Robbery"),
    ("DRUGS", "Drugs offences"),
    ("SEXUAL_OFFENCES", "Sexual offences"),
    ("THEFT_AND_HANDLING", "Theft and handling stolen goods"),
    ("BURGLARY", "Burglary"),
    ("CRIMINAL_DAMAGE", "Criminal damage"),
    ("MOTORING_OFFENCES", "Motoring offences"),
    ("VEHICLE_THEFT", "Vehicle theft / unauthorised taking"),
    ("PUBLIC_ORDER", "Public order"),
    ("ARSON", "Arson"),
    ("FRAUD_AND_FORGERY", "Fraud and forgery"),
    ("RACIALLY_AGGRAVATED", "Racially aggravated"),
    ("BREACH_OF_STATUTORY_ORDER", "Breach of statutory order"),
    ("BREACH_OF_BAIL", "Breach of bail"),
    ("OTHER", "Other"),
]
SERIOUS_VIOLENCE_CATEGORIES = ("DRUGS", "ROBBERY", "VIOLENCE_AGAINST_THE_PERSON")
SERIOUS_VIOLENCE_MIN_GRAVITY = 5
# Breaches are not new offences for proven reoffending (KPIS.md §3.2).
BREACH_CATEGORIES = ("BREACH_OF_STATUTORY_ORDER", "BREACH_OF_BAIL")

BOARD_SECTORS = [
    ("LA_CHILDRENS_SOCIAL_CARE", "Local authority children's social care"),
    ("LA_EDUCATION", "Local authority education"),
    ("POLICE", "Police"),
    ("PROBATION", "Probation"),
    ("HEALTH", "Health"),
    ("OTHER", "Other partner"),
]
STATUTORY_BOARD_SECTORS = tuple(code for code, _ in BOARD_SECTORS if code != "OTHER")
ATTENDANCE_LEVELS = [("SENIOR", "Senior"), ("DELEGATED", "Delegated (non-senior)"), ("NONE", "None")]

VICTIM_TYPES = [("INDIVIDUAL", "Individual"), ("ORGANISATION", "Business or organisation")]


def ethnicity_group(code: str | None) -> str:
    """The YJB reporting group of a Census 2021 category; missing is 'NOT_KNOWN'."""
    return ETHNICITY_GROUP.get(code or "", "NOT_KNOWN")
