"""People and places around the child: parents, carers and family, the addresses the child has
lived at, the school or ETE provider, the GP and the professionals working with the child.

Every record is a casework record (voidable, versioned, with a page of its own and its history)
about one child. Contact details (phone numbers, email addresses, addresses) are shown only where
the child is: on the child's pages, to users who may see the child (`casework.view_child`).
They are never in the KPI snapshot or any pseudonymised output. Rules are in `services`, reads
in `selectors`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from yjs.casework.models import CaseRecord, Child
from yjs.organisation.models import LocalAuthority

# A UK postcode, checked loosely: outward code (area letters, district) and inward code
# (sector digit, unit letters), as Royal Mail writes it: "NE1 4ST", "SW1A 1AA". Not checked
# against the list of real postcodes.
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$")
# A phone number as people write it: digits, spaces, brackets, dashes and a leading +; UK
# numbers have 10 or 11 digits, international ones up to 15 (E.164).
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_DIGITS = range(10, 16)


def normalise_postcode(value: str) -> str:
    """Upper case, one space before the inward code: " ne14st " -> "NE1 4ST"."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if value and not POSTCODE_PATTERN.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like NE1 4ST", code="invalid")


def validate_phone(value: str) -> None:
    if not value:
        return
    digits = sum(c.isdigit() for c in value)
    if not PHONE_PATTERN.match(value.strip()) or digits not in PHONE_DIGITS:
        raise ValidationError(
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
            code="invalid",
        )


def _phone(label="Phone number"):
    return models.CharField(label, max_length=30, blank=True, validators=[validate_phone])


class RelatedPerson(CaseRecord):
    """A parent, carer or other significant person in the child's life."""

    class Relationship(models.TextChoices):
        MOTHER = "MOTHER", "Mother"
        FATHER = "FATHER", "Father"
        STEP_PARENT = "STEP_PARENT", "Step-parent or parent's partner"
        FOSTER_CARER = "FOSTER_CARER", "Foster carer"
        RESIDENTIAL_CARER = "RESIDENTIAL_CARER", "Residential care worker (key worker)"
        KINSHIP_CARER = "KINSHIP_CARER", "Kinship carer or special guardian"
        GRANDPARENT = "GRANDPARENT", "Grandparent"
        SIBLING = "SIBLING", "Brother or sister"
        AUNT_UNCLE = "AUNT_UNCLE", "Aunt or uncle"
        OTHER_RELATIVE = "OTHER_RELATIVE", "Other relative"
        FRIEND = "FRIEND", "Family friend"
        OTHER = "OTHER", "Other significant person"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="related_people")
    name = models.CharField("Full name", max_length=120)
    relationship = models.CharField(
        "Relationship to the child", max_length=20, choices=Relationship.choices
    )
    parental_responsibility = models.BooleanField("Has parental responsibility", default=False)
    lives_with_child = models.BooleanField("The child lives with them", default=False)
    phone = _phone()
    email = models.EmailField("Email address", blank=True)
    address = models.TextField(
        "Address", blank=True, help_text="If they do not live with the child. One line each."
    )
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    may_contact = models.BooleanField("The service may contact them", default=True)
    no_contact_reason = models.TextField(
        "Why they must not be contacted",
        blank=True,
        help_text="For example a court order, or a risk to the child or to someone else",
    )
    interpreter_needed = models.BooleanField("They need an interpreter", default=False)
    language = models.CharField("Language", max_length=60, blank=True)
    end_date = models.DateField(
        "Date they stopped being involved",
        null=True,
        blank=True,
        help_text="For example when a foster placement ended. Leave blank while involved.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-parental_responsibility", "-lives_with_child", "name", "id"]
        verbose_name = "parent, carer or family member"
        verbose_name_plural = "parents, carers and family"

    def __str__(self):
        # No name or contact details: this text goes into audit descriptions and messages,
        # which an erasure does not rewrite (their field values it does).
        return self.get_relationship_display()

    def clean(self):
        self.postcode = normalise_postcode(self.postcode)

    @property
    def address_lines(self) -> list[str]:
        lines = [line.strip().rstrip(",") for line in self.address.splitlines()]
        return [line for line in lines if line] + ([self.postcode] if self.postcode else [])


class Address(CaseRecord):
    """Where the child lived, from when to when, and the local authority it is in.

    The history of the child's addresses; the one open today is the current address
    (`selectors.current_address`). The accommodation type the KPIs count is kept separately
    (casework `AccommodationRecord`): this record is where to find the child.
    """

    class Kind(models.TextChoices):
        HOME = "HOME", "Home (with parents or family)"
        CARE_PLACEMENT = "CARE_PLACEMENT", "Care placement (foster or residential)"
        SECURE = "SECURE", "Secure estate (YOI, STC or SCH)"
        SUPPORTED = "SUPPORTED", "Supported accommodation"
        NO_FIXED_ABODE = "NO_FIXED_ABODE", "No fixed abode"
        OTHER = "OTHER", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField("Type of address", max_length=20, choices=Kind.choices)
    line_1 = models.CharField(
        "Address line 1",
        max_length=120,
        blank=True,
        help_text="For a secure establishment or a children's home, its name",
    )
    line_2 = models.CharField("Address line 2", max_length=120, blank=True)
    town = models.CharField("Town or city", max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Local authority",
        help_text="Leave blank if the address is outside the service's area",
    )
    other_local_authority = models.CharField(
        "Local authority outside the service's area",
        max_length=120,
        blank=True,
        help_text="For example where a child is placed out of area",
    )
    start_date = models.DateField(
        "Date the child moved in", null=True, blank=True, help_text="Leave blank if not known"
    )
    end_date = models.DateField(
        "Date the child moved out", null=True, blank=True, help_text="Leave blank if current"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self):
        return f"Address: {self.get_kind_display().lower()}"  # no street or postcode (audit)

    def clean(self):
        self.postcode = normalise_postcode(self.postcode)

    @property
    def lines(self) -> list[str]:
        return [p for p in (self.line_1, self.line_2, self.town, self.postcode) if p]

    @property
    def local_authority_name(self) -> str:
        return str(self.local_authority or self.other_local_authority or "")


class EtePlacement(CaseRecord):
    """The child's school, college, training provider or employer."""

    class Kind(models.TextChoices):
        SCHOOL = "SCHOOL", "School"
        PUPIL_REFERRAL_UNIT = "PUPIL_REFERRAL_UNIT", "Pupil referral unit"
        ALTERNATIVE_PROVISION = "ALTERNATIVE_PROVISION", "Alternative provision"
        COLLEGE = "COLLEGE", "College"
        TRAINING = "TRAINING", "Training provider or apprenticeship"
        EMPLOYER = "EMPLOYER", "Employer"
        OTHER = "OTHER", "Other"

    # A school place may be agreed before the child starts (after a move or a release).
    PLANNED_DATES = frozenset({"start_date"})

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ete_placements")
    name = models.CharField("Name of the school, college or provider", max_length=120)
    kind = models.CharField("Type", max_length=24, choices=Kind.choices)
    contact_name = models.CharField(
        "Named contact",
        max_length=120,
        blank=True,
        help_text="For example the designated safeguarding lead or the child's tutor",
    )
    phone = _phone()
    email = models.EmailField("Email address", blank=True)
    start_date = models.DateField("Date the child started", null=True, blank=True)
    end_date = models.DateField("Date the child left", null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "school or ETE placement"

    def __str__(self):
        return self.get_kind_display()  # not its name: see RelatedPerson.__str__


class GeneralPractitioner(CaseRecord):
    """The GP practice the child is registered with: one record a child, changed when the
    child registers elsewhere (its history keeps the earlier practice)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="gps")
    practice_name = models.CharField("GP practice", max_length=120)
    doctor_name = models.CharField("Named GP", max_length=120, blank=True)
    phone = _phone()
    address = models.TextField("Address of the practice", blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "GP"
        verbose_name_plural = "GPs"

    def __str__(self):
        return "GP practice"  # not its name: see RelatedPerson.__str__


class Professional(CaseRecord):
    """A professional of another agency working with the child."""

    class Role(models.TextChoices):
        SOCIAL_WORKER = "SOCIAL_WORKER", "Social worker"
        POLICE_OFFICER = "POLICE_OFFICER", "Police officer"
        HEALTH = "HEALTH", "Health (nurse, CAMHS, doctor)"
        EDUCATION = "EDUCATION", "Education (teacher, SENCO, virtual school)"
        PROBATION = "PROBATION", "Probation practitioner"
        SUBSTANCE_MISUSE = "SUBSTANCE_MISUSE", "Substance misuse worker"
        OTHER = "OTHER", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField("Full name", max_length=120)
    role = models.CharField("Role", max_length=20, choices=Role.choices)
    agency = models.CharField(
        "Agency", max_length=120, help_text="For example Northshire Children's Services"
    )
    phone = _phone()
    email = models.EmailField("Email address", blank=True)
    start_date = models.DateField("Date they started working with the child", null=True, blank=True)
    end_date = models.DateField("Date they stopped", null=True, blank=True)

    class Meta:
        ordering = ["role", "name", "id"]

    def __str__(self):
        return self.get_role_display()  # not their name: see RelatedPerson.__str__
