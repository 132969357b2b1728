"""People and places in the Northshire demo (issue 11): each child's parents, carers and family,
the addresses the child lived at, the school or ETE provider, the GP and other professionals.

Consistent with what `yjs.interop.demo` generated for the same child: the addresses follow the
child's accommodation records period for period (home, care placement, secure estate, supported
accommodation, no fixed abode; "not known" has none), so a child in custody lives at the secure
establishment then and back home after; the school or provider follows the latest ETE record; a
foster carer is there while the child is in foster care; a looked-after child has a social
worker. Every name, street and postcode is invented: postcodes use the areas "NS" and "EM" (in
the service's area) and "XW" (outside it), which Royal Mail does not use; phone numbers are in
Ofcom's ranges kept for drama (01632 960xxx, 07700 900xxx); email addresses are at example.com.

Everything is drawn from a random stream of its own, so the rest of the demo (and every KPI
figure read from it) is record for record what it was without these records, and none of them
is in the KPI snapshot.
"""

from __future__ import annotations

import datetime as dt
import random

from yjs import periods
from yjs.casework import models as cw
from yjs.people.models import (
    Address,
    EtePlacement,
    GeneralPractitioner,
    Professional,
    RelatedPerson,
)

D = dt.timedelta
K = Address.Kind
R = RelatedPerson.Relationship

ADDRESS_KIND = {
    "LIVING_WITH_PARENTS": K.HOME,
    "AT_HOME": K.HOME,
    "LIVING_WITH_FAMILY": K.HOME,
    "LIVING_WITH_FRIENDS": K.OTHER,
    "TRAVELLER_SITE": K.HOME,
    "FOSTER_CARE_LA": K.CARE_PLACEMENT,
    "FOSTER_CARE_PRIVATE": K.CARE_PLACEMENT,
    "RESIDENTIAL_UNIT_LA": K.CARE_PLACEMENT,
    "RESIDENTIAL_UNIT_PRIVATE": K.CARE_PLACEMENT,
    "RESIDENTIAL_UNIT_SECURE": K.SECURE,
    "STC": K.SECURE,
    "SCH": K.SECURE,
    "YOI": K.SECURE,
    "SUPPORTED_ACCOMMODATION": K.SUPPORTED,
    "INDEPENDENT_LIVING": K.SUPPORTED,
    "TEMPORARY_ACCOMMODATION": K.OTHER,
    "BAIL_HOSTEL": K.SUPPORTED,
    "BED_AND_BREAKFAST": K.OTHER,
    "HOSPITAL": K.OTHER,
    "OTHER": K.OTHER,
    "NO_FIXED_ABODE": K.NO_FIXED_ABODE,
}
FOSTER_CARE = {"FOSTER_CARE_LA", "FOSTER_CARE_PRIVATE"}
SECURE_ESTABLISHMENTS = {
    "YOI": ("Fellgate Young Offender Institution", "Fellgate", "XW9 9ZZ"),
    "STC": ("Moorcroft Secure Training Centre", "Moorcroft", "XW8 8ZZ"),
    "SCH": ("Eastholme Secure Children's Home", "Eastholme", "XW7 7ZZ"),
    "RESIDENTIAL_UNIT_SECURE": ("Eastholme Secure Children's Home", "Eastholme", "XW7 7ZZ"),
}
SECURE_AREA = "Westshire"  # the (invented) local authority the secure estate is in
OUT_OF_AREA = ("Westshire", "Southdale", "Highmoor")
STREETS = (
    "Alder Close",
    "Beacon Road",
    "Birch Grove",
    "Canal Street",
    "Chapel Row",
    "Elm Terrace",
    "Foundry Lane",
    "Heather Way",
    "Mill Street",
    "Orchard Drive",
    "Quarry Hill",
    "Station Road",
    "Victoria Street",
    "Willow Court",
)
TOWNS = {"Northshire": ("Northtown", "Norbridge", "Hallfield"), "Eastmoor": ("Eastby", "Moorend")}
POSTCODE_AREA = {"Northshire": "NS", "Eastmoor": "EM"}
MOTHERS = ("Sarah", "Emma", "Lisa", "Nadia", "Claire", "Aisha", "Joanne", "Kelly", "Agnieszka")
FATHERS = ("Mark", "Darren", "Imran", "Lee", "Paul", "Tomasz", "Gary", "Wayne", "Adeel")
CARERS = ("Pat and Chris Morley", "Jan Hollis", "Sue Carver", "Ray and Ann Dobson")
GRANDPARENTS = ("Maureen", "Brian", "Irene", "Khalid")
INTERPRETER_LANGUAGES = ("Polish", "Romanian", "Urdu", "Arabic", "Punjabi", "Kurdish Sorani")
NO_CONTACT_REASONS = (
    "Non-molestation order protecting the child's mother",
    "Children's services advise no contact while a section 47 enquiry is open",
)
SCHOOLS = {
    EtePlacement.Kind.SCHOOL: ("Northtown Academy", "Hallfield High School", "Eastby School"),
    EtePlacement.Kind.PUPIL_REFERRAL_UNIT: ("Northshire Pupil Referral Unit",),
    EtePlacement.Kind.ALTERNATIVE_PROVISION: ("The Bridge Centre", "Moorend Skills Hub"),
    EtePlacement.Kind.COLLEGE: ("Northshire College", "Eastmoor Sixth Form College"),
    EtePlacement.Kind.TRAINING: ("Northshire Training Partnership", "Eastby Apprenticeships"),
    EtePlacement.Kind.EMPLOYER: ("Hallfield Builders", "Norbridge Garden Centre"),
}
ETE_KIND = {
    "SCHOOL_FULL_TIME": EtePlacement.Kind.SCHOOL,
    "SCHOOL_PART_TIME": EtePlacement.Kind.SCHOOL,
    "MAINSTREAM_SCHOOL": EtePlacement.Kind.SCHOOL,
    "PUPIL_REFERRAL_UNIT": EtePlacement.Kind.PUPIL_REFERRAL_UNIT,
    "ALTERNATIVE_PROVISION": EtePlacement.Kind.ALTERNATIVE_PROVISION,
    "ALTERNATIVE_PROVISION_ABOVE_SCHOOL_AGE": EtePlacement.Kind.ALTERNATIVE_PROVISION,
    "EDUCATION_REENGAGEMENT": EtePlacement.Kind.ALTERNATIVE_PROVISION,
    "COLLEGE": EtePlacement.Kind.COLLEGE,
    "TRAINEESHIP": EtePlacement.Kind.TRAINING,
    "APPRENTICESHIP": EtePlacement.Kind.TRAINING,
    "FULL_TIME_EMPLOYMENT": EtePlacement.Kind.EMPLOYER,
    "PART_TIME_EMPLOYMENT": EtePlacement.Kind.EMPLOYER,
    "EMPLOYMENT": EtePlacement.Kind.EMPLOYER,
}
PRACTICES = (
    "Northtown Medical Practice",
    "Hallfield Health Centre",
    "Norbridge Surgery",
    "Eastby Family Practice",
    "Moorend Medical Centre",
)
HEALTH_FIRST, HEALTH_LAST = ("Helen", "Sam", "Yusuf"), ("Barker", "Iqbal", "Moss")
SOCIAL_WORKERS = ("Tom Reed", "Priya Shah", "Gemma Holt", "Olu Adeyemi", "Rachel Finch")


class PeopleAndPlaces:
    """Adds the issue-11 records of each demo child to the generator's rows (see module doc)."""

    MODELS = (RelatedPerson, Address, EtePlacement, GeneralPractitioner, Professional)

    def __init__(self, gen, seed: int):
        self.gen = gen
        self.rng = random.Random(seed + 13)  # a stream of its own: the journeys stay as they were
        self.today = gen.today
        self._phone = 0

    def add(self, obj):
        return self.gen.add(obj)

    def _own(self, model, child) -> list:
        """This child's records of a kind, as generated: they are the last ones added."""
        rows = self.gen.rows.get(model, [])
        found = []
        for record in reversed(rows):
            if record.child is not child:
                break
            found.append(record)
        return found[::-1]

    def phone(self, mobile: bool = True) -> str:
        self._phone = (self._phone + 1) % 1000
        return f"07700 900{self._phone:03d}" if mobile else f"01632 960{self._phone:03d}"

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + D(days=self.rng.randint(0, span)) if span > 0 else start

    # ----------------------------------------------------------------------- per child

    def child(self, ctx):
        child, rng = ctx.child, self.rng
        la = child.home_local_authority
        home = self.street_address(la.name)
        stays = self.addresses(ctx, home)
        self.family(ctx, home, stays)
        self.school(ctx)
        if rng.random() < 0.9:
            practice = rng.choice(PRACTICES)
            self.add(
                GeneralPractitioner(
                    child=child,
                    practice_name=practice,
                    phone=self.phone(mobile=False),
                    address=f"{rng.randint(1, 60)} {rng.choice(STREETS)}\n{home['town']}",
                )
            )
        self.professionals(ctx)

    def street_address(self, la_name: str) -> dict:
        rng = self.rng
        area = POSTCODE_AREA.get(la_name, "NS")
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return {
            "line_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            "town": rng.choice(TOWNS.get(la_name, TOWNS["Northshire"])),
            "postcode": f"{area}{rng.randint(1, 19)} {rng.randint(1, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}",
        }

    def addresses(self, ctx, home: dict) -> list[tuple[str, dt.date, dt.date | None]]:
        """One address per accommodation period; returns (accommodation type, start, end)."""
        rng, child = self.rng, ctx.child
        la = child.home_local_authority
        placement = None
        stays = []
        for record in sorted(self._own(cw.AccommodationRecord, child), key=lambda r: r.start_date):
            kind = ADDRESS_KIND.get(record.accommodation_type)
            if kind is None:  # not known: no address
                continue
            start = max(record.start_date, ctx.dob + D(days=1))
            where: dict = {"local_authority": la}
            if kind == K.HOME:
                where |= home
            elif kind == K.SECURE:
                name, town, postcode = SECURE_ESTABLISHMENTS.get(
                    record.accommodation_type, SECURE_ESTABLISHMENTS["YOI"]
                )
                where = {
                    "line_1": name,
                    "town": town,
                    "postcode": postcode,
                    "other_local_authority": SECURE_AREA,
                }
            elif kind == K.NO_FIXED_ABODE:
                where = {"town": home["town"], "local_authority": la}
            else:
                if kind == K.CARE_PLACEMENT and placement is None and rng.random() < 0.3:
                    placement = {
                        **self.street_address("Elsewhere"),
                        "other_local_authority": rng.choice(OUT_OF_AREA),
                    }
                    placement["postcode"] = "XW" + placement["postcode"][2:]
                elif kind == K.CARE_PLACEMENT and placement is None:
                    placement = self.street_address(la.name)
                where |= placement if kind == K.CARE_PLACEMENT else self.street_address(la.name)
                if "other_local_authority" in where:
                    where["local_authority"] = None
            self.add(
                Address(child=child, kind=kind, start_date=start, end_date=record.end_date, **where)
            )
            stays.append((record.accommodation_type, start, record.end_date))
        return stays

    def family(self, ctx, home: dict, stays) -> None:
        rng, child = self.rng, ctx.child
        at_home_now = bool(stays) and stays[-1][0] in (
            "LIVING_WITH_PARENTS",
            "AT_HOME",
            "TRAVELLER_SITE",
        )
        language = rng.choice(INTERPRETER_LANGUAGES) if rng.random() < 0.06 else ""
        mother = RelatedPerson(
            child=child,
            name=f"{rng.choice(MOTHERS)} {child.last_name}",
            relationship=R.MOTHER,
            parental_responsibility=True,
            lives_with_child=at_home_now,
            phone=self.phone(),
            email="" if rng.random() < 0.4 else f"parent{rng.randint(100, 999)}@example.com",
            interpreter_needed=bool(language),
            language=language,
        )
        if not at_home_now:  # the family home, where the child does not live now
            mother.address = f"{home['line_1']}\n{home['town']}"
            mother.postcode = home["postcode"]
        self.add(mother)
        if rng.random() < 0.7:
            lives_with = rng.random() < 0.4 and mother.lives_with_child
            barred = rng.random() < 0.05
            father = RelatedPerson(
                child=child,
                name=f"{rng.choice(FATHERS)} {child.last_name}",
                relationship=R.FATHER,
                parental_responsibility=rng.random() < 0.8,
                lives_with_child=lives_with and not barred,
                phone=self.phone(),
                may_contact=not barred,
                no_contact_reason=rng.choice(NO_CONTACT_REASONS) if barred else "",
                interpreter_needed=bool(language),
                language=language,
            )
            if not father.lives_with_child:
                other = self.street_address(child.home_local_authority.name)
                father.address = f"{other['line_1']}\n{other['town']}"
                father.postcode = other["postcode"]
            self.add(father)
        if any(kind == "LIVING_WITH_FAMILY" for kind, _s, _e in stays) or rng.random() < 0.1:
            self.add(
                RelatedPerson(
                    child=child,
                    name=f"{rng.choice(GRANDPARENTS)} {child.last_name}",
                    relationship=R.GRANDPARENT,
                    lives_with_child=bool(stays) and stays[-1][0] == "LIVING_WITH_FAMILY",
                    phone=self.phone(mobile=False),
                )
            )
        for kind, start, end in stays:
            if kind in FOSTER_CARE:
                self.add(
                    RelatedPerson(
                        child=child,
                        name=rng.choice(CARERS),
                        relationship=R.FOSTER_CARER,
                        lives_with_child=end is None,
                        phone=self.phone(),
                        end_date=end,
                        notes=f"Foster placement from {periods.long_date(start)}",
                    )
                )

    def school(self, ctx) -> None:
        ete = self._own(cw.EteRecord, ctx.child)
        if not ete:
            return
        latest = max(ete, key=lambda r: r.start_date)
        kind = ETE_KIND.get(latest.provision)
        if kind is None:  # home education, no provision, voluntary work...
            return
        rng = self.rng
        self.add(
            EtePlacement(
                child=ctx.child,
                name=rng.choice(SCHOOLS[kind]),
                kind=kind,
                contact_name=rng.choice(("Designated safeguarding lead", "Head of year", "Tutor")),
                phone=self.phone(mobile=False),
                start_date=max(latest.start_date, ctx.dob + D(days=1)),
                end_date=latest.end_date,
            )
        )

    def professionals(self, ctx) -> None:
        rng, child = self.rng, ctx.child
        start = self.day(ctx.entry, min(ctx.entry + D(days=60), self.today))
        end = child.closed_on if child.closed_on and child.closed_on >= start else None
        if ctx.looked_after or rng.random() < 0.15:
            name = rng.choice(SOCIAL_WORKERS)
            self.add(
                Professional(
                    child=child,
                    name=name,
                    role=Professional.Role.SOCIAL_WORKER,
                    agency=f"{child.home_local_authority.name} Children's Services",
                    phone=self.phone(mobile=False),
                    email=f"{name.split()[0].lower()}.{name.split()[1].lower()}@example.com",
                    start_date=start,
                    end_date=end,
                )
            )
        if rng.random() < 0.2:
            self.add(
                Professional(
                    child=child,
                    name=f"PC {rng.choice(('Dale', 'Hussain', 'Wright', 'Kowalski'))}",
                    role=Professional.Role.POLICE_OFFICER,
                    agency="Northshire Police",
                    phone=self.phone(mobile=False),
                    start_date=start,
                    end_date=end,
                )
            )
        if rng.random() < 0.2:
            self.add(
                Professional(
                    child=child,
                    name=f"{rng.choice(HEALTH_FIRST)} {rng.choice(HEALTH_LAST)}",
                    role=Professional.Role.HEALTH,
                    agency="Northshire CAMHS",
                    phone=self.phone(mobile=False),
                    start_date=start,
                    end_date=end,
                )
            )
