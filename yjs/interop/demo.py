"""The Northshire demo service: a deterministic, wholly synthetic youth justice service.

`yj demo` loads it so that every casework page and every KPI shows something real on a fresh
machine. Same seed and same "today" give the same service, record for record. Nothing here is
real data: names are drawn from short invented lists and every date is generated.

The load is a bulk insert, not a user action: it bypasses the audited services layer for speed
and writes one audit event per child ("Demo data load") instead of one per record. The date rules
the services enforce (no outcome before its offence, offences aged 10-17, ends after starts) are
kept by construction and checked by tests/interop.
"""

from __future__ import annotations

import datetime as dt
import random
from base64 import b32decode
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from yjs import periods
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.casework import models as cw
from yjs.diary import demo as diary_demo
from yjs.interop.demo_journey import Episode, JourneyWork
from yjs.interop.demo_parenting import ParentingDemo
from yjs.interop.demo_people import PeopleAndPlaces
from yjs.organisation.models import (
    EthnicPopulation,
    LocalAuthority,
    LookedAfterPopulation,
    PopulationEstimate,
    Role,
    Service,
    Team,
    User,
)
from yjs.programmes import demo as programmes_demo
from yjs.voice import demo as voice_demo
from yjs.workforce import demo as workforce_demo

SERVICE_CODE = "northshire"
SERVICE_NAME = "Northshire Youth Justice Service"
DEMO_PASSWORD = "demo-password-2026"
# Managers, the head of service and the administrator sign in with a TOTP code as well; in the
# demo their authenticator shares this published key (DEMO ONLY: never for real accounts).
DEMO_TOTP_KEY = "DEMOONLYDEMOONLYDEMOONLYDEMOONLY"
SECOND_FACTOR_ROLES = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN)
DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 800
FIRST_DAY = dt.date(2022, 4, 1)  # start of FY 2022-23: the first of the four demo years

D = dt.timedelta
_RANDOM = object()  # "no fixed end": the intervention ends around its planned date

# --------------------------------------------------------------------------- the organisation

LOCAL_AUTHORITIES = (("Northshire", "E06009901"), ("Eastmoor", "E06009902"))
# 10-17 population in mid-2021 per LA (Northshire + Eastmoor ≈ 18,000).
POPULATION_2021 = {"Northshire": 12_400, "Eastmoor": 5_500}
POPULATION_GROWTH = 0.008  # a year
# Census 2021 shares of 10-17 year olds by ethnicity group (invented but plausible).
ETHNIC_POPULATION_SHARE = {
    "WHITE": 0.815,
    "ASIAN": 0.072,
    "MIXED": 0.058,
    "BLACK": 0.038,
    "OTHER": 0.017,
}

# username, first, last, role, team, job title
STAFF = (
    ("alice", "Alice", "Archer", Role.PRACTITIONER, "North", "Youth justice practitioner"),
    ("carl", "Carl", "Cole", Role.PRACTITIONER, "North", "Youth justice practitioner"),
    ("dee", "Dee", "Dunn", Role.PRACTITIONER, "North", "Prevention worker"),
    ("eli", "Eli", "Evans", Role.PRACTITIONER, "North", "Senior practitioner"),
    ("bob", "Bob", "Baker", Role.PRACTITIONER, "South", "Youth justice practitioner"),
    ("fay", "Fay", "Ford", Role.PRACTITIONER, "South", "Youth justice practitioner"),
    ("gus", "Gus", "Grant", Role.PRACTITIONER, "South", "Prevention worker"),
    ("ivy", "Ivy", "Irwin", Role.PRACTITIONER, "South", "Senior practitioner"),
    ("mo", "Mo", "Morgan", Role.TEAM_MANAGER, "North", "Team manager, North"),
    ("sam", "Sam", "Shaw", Role.TEAM_MANAGER, "South", "Team manager, South"),
    ("hana", "Hana", "Hale", Role.HEAD_OF_SERVICE, None, "Head of service"),
    ("ana", "Ana", "Ali", Role.PERFORMANCE_ANALYST, None, "Performance analyst"),
    ("bea", "Bea", "Bell", Role.BOARD_MEMBER, None, "Chair of the management board"),
)

# --------------------------------------------------------------------------- invented names

BOYS = (
    "Aaron",
    "Adam",
    "Ali",
    "Amir",
    "Ben",
    "Callum",
    "Charlie",
    "Connor",
    "Daniel",
    "Dylan",
    "Ethan",
    "Finley",
    "Harry",
    "Hassan",
    "Isaac",
    "Jack",
    "Jacob",
    "Jake",
    "Jayden",
    "Joel",
    "Jordan",
    "Josh",
    "Kai",
    "Kacper",
    "Kyle",
    "Leo",
    "Liam",
    "Louis",
    "Mason",
    "Mohammed",
    "Nathan",
    "Noah",
    "Oliver",
    "Owen",
    "Reece",
    "Riley",
    "Ryan",
    "Tyler",
    "Zane",
    "Kofi",
    "Tobi",
    "Marcus",
    "Dmitri",
    "Bilal",
    "Rhys",
)
GIRLS = (
    "Aaliyah",
    "Amber",
    "Amelia",
    "Ava",
    "Chloe",
    "Ellie",
    "Emily",
    "Grace",
    "Hannah",
    "Holly",
    "Isla",
    "Jade",
    "Jasmine",
    "Kayla",
    "Lacey",
    "Leah",
    "Lily",
    "Maya",
    "Megan",
    "Mia",
    "Nia",
    "Olivia",
    "Ruby",
    "Sofia",
    "Zara",
    "Amara",
    "Precious",
    "Aisha",
)
SURNAMES = (
    "Adams",
    "Ahmed",
    "Akhtar",
    "Allen",
    "Bailey",
    "Begum",
    "Bennett",
    "Brooks",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Cooper",
    "Davies",
    "Edwards",
    "Ellis",
    "Evans",
    "Fisher",
    "Foster",
    "Green",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Kowalski",
    "Lee",
    "Lewis",
    "Marshall",
    "Mensah",
    "Mitchell",
    "Moore",
    "Murphy",
    "Nowak",
    "Okafor",
    "Owusu",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Reid",
    "Richards",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
)
BUSINESSES = (
    "Northshire Retail Park store",
    "Eastmoor corner shop",
    "High Street pharmacy",
    "Station Road supermarket",
    "Northshire Bus Company",
    "Eastmoor Leisure Centre",
    "Market Square newsagent",
    "Riverside fast-food outlet",
    "Northshire Academy",
    "Eastmoor Housing Association",
)

# --------------------------------------------------------------------------- mixes (seed plans)

AGE_AT_ENTRY = {10: 2, 11: 4, 12: 8, 13: 12, 14: 17, 15: 20, 16: 21, 17: 16}
# Ethnicity of children in the service: Black and Mixed over-represented against population.
ETHNICITY_MIX = {
    "WHITE_BRITISH": 62,
    "WHITE_IRISH": 1,
    "WHITE_GYPSY_IRISH_TRAVELLER": 2,
    "WHITE_ROMA": 1,
    "WHITE_OTHER": 4,
    "MIXED_WHITE_ASIAN": 2,
    "MIXED_WHITE_BLACK_AFRICAN": 2,
    "MIXED_WHITE_BLACK_CARIBBEAN": 5,
    "MIXED_OTHER": 2,
    "BLACK_AFRICAN": 4,
    "BLACK_CARIBBEAN": 3,
    "BLACK_OTHER": 1,
    "ASIAN_BANGLADESHI": 1,
    "ASIAN_CHINESE": 0.5,
    "ASIAN_INDIAN": 1,
    "ASIAN_PAKISTANI": 2,
    "ASIAN_OTHER": 1,
    "OTHER_ARAB": 0.5,
    "OTHER_ANY": 1,
    "NOT_STATED": 3,
}
# First contact with the service (an entry pathway) and its share.
ENTRY = {
    "PREVENTION": 14,
    "TURNAROUND": 10,
    "COMMUNITY_RESOLUTION": 19,
    "OUTCOME_22": 16,
    "OUTCOME_22_DEFERRED": 3,
    "OUTCOME_20_21": 2,
    "YOUTH_CAUTION": 6.5,
    "YOUTH_CONDITIONAL_CAUTION": 5,
    "REFERRAL_ORDER": 11,
    "YRO": 3.5,
    "FINE": 1.5,
    "CONDITIONAL_DISCHARGE": 1.5,
    "ABSOLUTE_DISCHARGE": 0.4,
    "REPARATION_ORDER": 0.5,
    "COMPENSATION_ORDER": 0.3,
    "OTHER_FIRST_TIER": 0.2,
    "DTO": 1.5,
    "S250_DETENTION": 0.3,
    "S259_DETENTION": 0.08,
}
# After an outcome, the chance of a further proven offence and what it leads to.
REOFFEND_CHANCE = {
    "PRE_COURT_NS": 0.22,
    "PRE_COURT": 0.3,
    "FIRST_TIER": 0.38,
    "COMMUNITY": 0.5,
    "CUSTODY": 0.55,
}
ESCALATION = {
    "COMMUNITY_RESOLUTION": {
        "YOUTH_CAUTION": 3,
        "YOUTH_CONDITIONAL_CAUTION": 3,
        "OUTCOME_22": 2,
        "REFERRAL_ORDER": 2,
    },
    "OUTCOME_22": {"YOUTH_CAUTION": 3, "YOUTH_CONDITIONAL_CAUTION": 3, "REFERRAL_ORDER": 2},
    "OUTCOME_22_DEFERRED": {"YOUTH_CONDITIONAL_CAUTION": 2, "REFERRAL_ORDER": 3},
    "OUTCOME_20_21": {"YOUTH_CAUTION": 2, "REFERRAL_ORDER": 1},
    "YOUTH_CAUTION": {"YOUTH_CONDITIONAL_CAUTION": 3, "REFERRAL_ORDER": 4, "FINE": 1},
    "YOUTH_CONDITIONAL_CAUTION": {"REFERRAL_ORDER": 5, "YRO": 1, "CONDITIONAL_DISCHARGE": 1},
    "REFERRAL_ORDER": {"YRO": 5, "REFERRAL_ORDER": 2, "FINE": 1, "DTO": 1},
    "FIRST_TIER": {"REFERRAL_ORDER": 3, "YRO": 3, "FINE": 1},
    "YRO": {"YRO": 4, "DTO": 2, "FINE": 1},
    "CUSTODY": {"YRO": 2, "DTO": 3, "S250_DETENTION": 1},
}
PRE_COURT_NS = ("COMMUNITY_RESOLUTION", "OUTCOME_22", "OUTCOME_22_DEFERRED", "OUTCOME_20_21")
CAUTIONS = ("YOUTH_CAUTION", "YOUTH_CONDITIONAL_CAUTION")
OTHER_FIRST_TIER = (
    "FINE",
    "CONDITIONAL_DISCHARGE",
    "ABSOLUTE_DISCHARGE",
    "REPARATION_ORDER",
    "COMPENSATION_ORDER",
    "OTHER_FIRST_TIER",
)
CUSTODIAL = ("DTO", "S250_DETENTION", "S259_DETENTION")

# offence category -> (weight, gravity range, descriptions)
OFFENCES = {
    "VIOLENCE_AGAINST_THE_PERSON": (
        26,
        (2, 6),
        (
            "Common assault",
            "Assault occasioning actual bodily harm",
            "Possession of a bladed article",
            "Wounding with intent",
            "Assault on an emergency worker",
        ),
    ),
    "THEFT_AND_HANDLING": (
        15,
        (1, 3),
        ("Theft from a shop", "Theft from a person", "Handling stolen goods"),
    ),
    "CRIMINAL_DAMAGE": (
        10,
        (1, 3),
        ("Criminal damage under £5,000", "Criminal damage to a vehicle"),
    ),
    "DRUGS": (
        9,
        (2, 6),
        (
            "Possession of cannabis",
            "Possession with intent to supply class A",
            "Being concerned in the supply of class A",
        ),
    ),
    "PUBLIC_ORDER": (8, (1, 3), ("Using threatening behaviour", "Affray")),
    "ROBBERY": (6, (5, 7), ("Robbery of personal property", "Robbery of a mobile phone")),
    "BURGLARY": (5, (3, 6), ("Burglary of a dwelling", "Burglary of a non-dwelling")),
    "MOTORING_OFFENCES": (
        6,
        (2, 4),
        ("Driving without insurance", "Driving without a licence", "Dangerous driving"),
    ),
    "VEHICLE_THEFT": (4, (2, 4), ("Taking a vehicle without consent",)),
    "SEXUAL_OFFENCES": (2, (4, 7), ("Sexual assault", "Sharing indecent images")),
    "ARSON": (1, (3, 6), ("Arson",)),
    "FRAUD_AND_FORGERY": (1, (2, 3), ("Fraud by false representation",)),
    "RACIALLY_AGGRAVATED": (1, (3, 5), ("Racially aggravated public order offence",)),
    "OTHER": (3, (1, 3), ("Obstructing a police officer", "Malicious communications")),
}
PERSONAL_VICTIM = {
    "VIOLENCE_AGAINST_THE_PERSON",
    "ROBBERY",
    "BURGLARY",
    "SEXUAL_OFFENCES",
    "THEFT_AND_HANDLING",
    "CRIMINAL_DAMAGE",
    "RACIALLY_AGGRAVATED",
    "PUBLIC_ORDER",
    "VEHICLE_THEFT",
}
BUSINESS_VICTIM = {
    "THEFT_AND_HANDLING",
    "CRIMINAL_DAMAGE",
    "BURGLARY",
    "FRAUD_AND_FORGERY",
    "ARSON",
}

YRO_REQUIREMENTS = (
    "Supervision",
    "Activity",
    "Curfew",
    "Electronic monitoring",
    "Programme",
    "Attendance centre",
    "Education",
    "Mental health treatment",
    "Drug treatment",
    "Unpaid work",
    "Prohibited activity",
)

INTERVENTION_FOR = {
    "COMMUNITY_RESOLUTION": "DIVERSION",
    "OUTCOME_22": "DIVERSION",
    "OUTCOME_22_DEFERRED": "DIVERSION",
    "OUTCOME_20_21": "OOCD",
    "YOUTH_CAUTION": "OOCD",
    "YOUTH_CONDITIONAL_CAUTION": "OOCD",
    "REFERRAL_ORDER": "REFERRAL_ORDER",
    "YRO": "YRO",
    "DTO": "CUSTODY",
    "S250_DETENTION": "CUSTODY",
    "S259_DETENTION": "CUSTODY",
}
SECURE_NIGHTLY_COST = {
    "YOI": Decimal("330.00"),
    "STC": Decimal("640.00"),
    "SCH": Decimal("1150.00"),
}
RILA_NIGHTLY_COST = Decimal("260.00")

GOALS = (
    "I want to stay in school and get my GCSEs.",
    "I want to get a place at college doing motor vehicle.",
    "I want to keep out of trouble with the police.",
    "I want to get on better with my mum and not argue so much.",
    "I want to find a job or an apprenticeship.",
    "I want to feel safer when I'm out in my area.",
    "I want to stop smoking weed every day.",
    "I want to get back into boxing training.",
)
WE_WILL = (
    "We will meet every week and work on what happened and who it affected.",
    "We will look at college courses together and go to an open day.",
    "We will work out who you can call when things get hard.",
    "We will meet your school to sort out a timetable that works for you.",
    "We will do a session with the victim's views and think about putting things right.",
    "We will get you seen by the health worker about sleep and stress.",
)
NEEDS = (
    "Education and learning; family relationships; peer influence",
    "Emotional wellbeing; substance use; lifestyle",
    "Exploitation concerns; accommodation; education",
    "Speech, language and communication; thinking and behaviour",
    "Family relationships; living arrangements; emotional wellbeing",
)


@dataclass
class DemoSummary:
    """What was loaded: counts per record type, for the command's report and the tests."""

    seed: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    board: bool = False


def service_exists() -> bool:
    return Service.objects.filter(code=SERVICE_CODE).exists()


def logins() -> list[tuple[str, str, str]]:
    """(username, role, team) of every demo user, for the printout after a load."""
    rows = [(u, str(role.label), team or "-") for u, _f, _l, role, team, _j in STAFF]
    return [*rows, ("admin", "Administrator (superuser)", "-")]


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _birthday(dob: dt.date, age: int) -> dt.date:
    return periods.add_months(dob, age * 12)  # no 29 February birthdays in the demo


def _eighteenth(dob: dt.date) -> dt.date:
    return _birthday(dob, 18)


class _Generator:
    """Builds unsaved model instances for the whole service; ``save`` bulk-inserts them."""

    def __init__(self, seed: int, n_children: int, today: dt.date):
        self.rng = random.Random(seed)
        # Allocation choices draw from their own stream, so the journeys stay as they were.
        self.allocation_rng = random.Random(seed + 1)
        self.seed = seed
        self.n_children = n_children
        self.today = today
        self.rows: dict[type, list] = {}
        self.outcome_offences: list[tuple[cw.Outcome, cw.Offence]] = []
        self.victim_offences: list[tuple[cw.Victim, cw.Offence]] = []
        # Court work, panels and supervision (issue 10) draw from a stream of their own.
        self.work = JourneyWork(self, seed)
        # People and places (issue 11) too: none of them is in the snapshot or a KPI.
        self.people = PeopleAndPlaces(self, seed)
        # Parenting work (issue 11) too.
        self.parenting = ParentingDemo(self, seed)

    def add(self, obj):
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        """A random day in [start, end] (start if the range is empty)."""
        span = (end - start).days
        return start + D(days=self.rng.randint(0, span)) if span > 0 else start

    # ----------------------------------------------------------------------- organisation

    def organisation(self):
        self.service = Service.objects.create(name=SERVICE_NAME, code=SERVICE_CODE)
        self.las = [
            LocalAuthority.objects.create(service=self.service, name=n, ons_code=c)
            for n, c in LOCAL_AUTHORITIES
        ]
        self.teams = {
            n: Team.objects.create(service=self.service, name=n) for n in ("North", "South")
        }
        password = make_password(DEMO_PASSWORD)  # hash once: hashing is the slow part
        users = [
            User(
                username=u,
                first_name=f,
                last_name=last,
                role=role,
                job_title=job,
                service=self.service,
                team=self.teams.get(team),
                password=password,
                email=f"{u}@northshire.example",
            )
            for u, f, last, role, team, job in STAFF
        ]
        users.append(
            User(
                username="admin",
                first_name="Admin",
                last_name="User",
                role=Role.ADMIN,
                service=self.service,
                password=password,
                is_staff=True,
                is_superuser=True,
                email="admin@northshire.example",
            )
        )
        self.users = {u.username: u for u in User.objects.bulk_create(users)}
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=u,
                name="Demo authenticator",
                key=b32decode(DEMO_TOTP_KEY).hex(),
                confirmed=True,
            )
            for u in self.users.values()
            if u.role in SECOND_FACTOR_ROLES or u.is_superuser
        )
        self.practitioners = {
            team: [
                self.users[u]
                for u, _f, _l, role, t, _j in STAFF
                if t == team and role == Role.PRACTITIONER
            ]
            for team in ("North", "South")
        }
        self.managers = {"North": self.users["mo"], "South": self.users["sam"]}

    def population(self):
        """ONS-style mid-year estimates 2021-2025 and Census 2021 ethnic groups (synthetic)."""
        rng = random.Random(9901)  # independent of the seed: the area does not change
        for la in self.las:
            base = POPULATION_2021[la.name] / 8
            for year in range(2021, 2026):
                growth = (1 + POPULATION_GROWTH) ** (year - 2021)
                for age in range(10, 18):
                    total = base * growth * (1 + (age - 13.5) * 0.006) * rng.uniform(0.97, 1.03)
                    boys = round(total * 0.513)
                    self.add(
                        PopulationEstimate(
                            local_authority=la, year=year, age=age, sex="1", count=boys
                        )
                    )
                    self.add(
                        PopulationEstimate(
                            local_authority=la,
                            year=year,
                            age=age,
                            sex="2",
                            count=round(total) - boys,
                        )
                    )
                # About 0.9% of 10-17 year olds are looked after at 31 March.
                self.add(
                    LookedAfterPopulation(
                        local_authority=la,
                        year=year,
                        count=round(base * 8 * growth * 0.009 * rng.uniform(0.9, 1.1)),
                    )
                )
            for group, share in ETHNIC_POPULATION_SHARE.items():
                self.add(
                    EthnicPopulation(
                        local_authority=la,
                        year=2021,
                        ethnicity_group=group,
                        count=round(POPULATION_2021[la.name] * share),
                    )
                )

    # ----------------------------------------------------------------------- children

    def children(self, tick: Callable[[], None] | None = None):
        last_entry = self.today - D(days=7)
        entries = sorted(self.day(FIRST_DAY, last_entry) for _ in range(self.n_children))
        for number, entry in enumerate(entries, start=1):
            self.child(number, entry)
            if tick:
                tick()

    def child(self, number: int, entry: dt.date):
        rng = self.rng
        age = _weighted(rng, AGE_AT_ENTRY)
        dob = self.day(
            periods.add_months(entry, -12 * (age + 1)) + D(days=1),
            periods.add_months(entry, -12 * age),
        )
        if dob.month == 2 and dob.day == 29:
            dob = dob - D(days=1)
        r = rng.random()
        sex, gender = ("1", "1") if r < 0.8 else ("2", "2") if r < 0.993 else ("9", "3")
        first = rng.choice(BOYS if sex == "1" else GIRLS if sex == "2" else BOYS + GIRLS)
        ethnicity = _weighted(rng, ETHNICITY_MIX)
        la = self.las[0] if rng.random() < 0.69 else self.las[1]
        team_name = (
            ("North" if rng.random() < 0.72 else "South")
            if la is self.las[0]
            else ("South" if rng.random() < 0.8 else "North")
        )
        team = self.teams[team_name]
        worker = rng.choice(self.practitioners[team_name])
        residence = _weighted(rng, {"LOCAL": 96, "OTHER": 2.5, "NOT_KNOWN": 1.5})
        child = self.add(
            cw.Child(
                service=self.service,
                team=team,
                allocated_worker=worker,
                reference=f"YJ{number:06d}",
                first_name=first,
                last_name=rng.choice(SURNAMES),
                date_of_birth=dob,
                sex=sex,
                gender=gender,
                home_local_authority=la,
                residence=residence,
                speech_language_needs=rng.random() < 0.25,
            )
        )
        ctx = _ChildContext(
            child=child,
            dob=dob,
            entry=entry,
            team=team,
            team_name=team_name,
            worker=worker,
            residence=residence,
        )
        self.add(cw.EthnicityRecord(child=child, ethnicity=ethnicity, recorded_on=entry))
        if rng.random() < 0.04:  # children re-identify
            later = self.day(entry + D(days=60), self.today)
            if later > entry:
                self.add(
                    cw.EthnicityRecord(
                        child=child, ethnicity=_weighted(rng, ETHNICITY_MIX), recorded_on=later
                    )
                )
        ctx.looked_after = rng.random() < 0.13
        ctx.send = _weighted(rng, {"EHCP": 14, "SEN_SUPPORT": 22, "NO": 20, "NONE": 44})
        self.journey(ctx)
        self.care_statuses(ctx)
        self.send(ctx)
        self.exploitation(ctx)
        self.accommodation(ctx)
        self.ete(ctx)
        self.health(
            ctx,
            cw.MentalHealthRecord,
            0.36,
            {
                "GETTING_ADVICE": 3,
                "GETTING_HELP": 5,
                "GETTING_ADDITIONAL_HELP": 2,
                "GETTING_RISK_SUPPORT": 1,
            },
        )
        self.health(
            ctx,
            cw.SubstanceMisuseRecord,
            0.28,
            {
                "TARGETED_INTERVENTION": 6,
                "SPECIALIST_SUBSTANCE_MISUSE_TREATMENT": 2,
                "COMPLEX_CARE": 1,
            },
        )
        self.transition_and_closure(ctx)
        self.allocations(ctx)
        self.work.child(ctx)
        self.people.child(ctx)
        self.parenting.child(ctx)
        self.add(
            AuditEvent(
                action="CREATE",
                child=child,
                object_type="child",
                description="Demo data load (synthetic)",
            )
        )

    # ----------------------------------------------------------------------- the journey

    def journey(self, ctx: _ChildContext):
        rng = self.rng
        code = _weighted(rng, ENTRY)
        if code in CUSTODIAL + ("YRO",) and periods.age_on(ctx.dob, ctx.entry) < 13:
            code = "REFERRAL_ORDER"
        if code == "PREVENTION" or code == "TURNAROUND":
            self.prevention(ctx, code)
            if rng.random() > 0.25:
                return
            # some go on to offend
            code = _weighted(
                rng,
                {
                    "COMMUNITY_RESOLUTION": 3,
                    "OUTCOME_22": 3,
                    "YOUTH_CAUTION": 1,
                    "REFERRAL_ORDER": 1,
                },
            )
            offence_date = ctx.last_end + D(days=rng.randint(20, 300)) if ctx.last_end else None
        else:
            offence_date = ctx.entry
        if rng.random() < 0.06 and code not in PRE_COURT_NS:
            self.history(ctx)
        episodes = 0
        while offence_date and episodes < 5:
            if offence_date > self.today - D(days=3) or offence_date >= _eighteenth(ctx.dob):
                break
            end = self.episode(ctx, code, offence_date)
            episodes += 1
            if end is None:
                break
            group = _group(code)
            if rng.random() >= REOFFEND_CHANCE[group]:
                break
            code = _weighted(
                rng,
                ESCALATION.get(code)
                or ESCALATION.get("FIRST_TIER" if code in OTHER_FIRST_TIER else "CUSTODY"),
            )
            # reoffending mostly within a year of the last outcome (or release)
            offence_date = end + D(days=int(rng.triangular(10, 480, 120)))

    def history(self, ctx: _ChildContext):
        """An earlier caution from before the demo years: the child is not a first time entrant."""
        when = ctx.entry - D(days=self.rng.randint(200, 500))
        if periods.age_on(ctx.dob, when) < 10:
            return
        offence = self.offence(ctx, when, "PRE_COURT")
        self.outcome(ctx, "YOUTH_CAUTION", when + D(days=30), [offence])

    def prevention(self, ctx: _ChildContext, kind: str):
        rng = self.rng
        start = ctx.entry
        source = (
            "POLICE"
            if kind == "TURNAROUND"
            else _weighted(
                rng, {"EDUCATION": 4, "SOCIAL_CARE": 3, "EARLY_HELP": 3, "FAMILY": 1, "HEALTH": 1}
            )
        )
        referral = self.add(
            cw.Referral(
                child=ctx.child,
                received_on=max(start - D(days=rng.randint(3, 20)), _birthday(ctx.dob, 10)),
                source=source,
                pathway=kind,
                reason="Concerns about behaviour in the community and at school"
                if kind == "PREVENTION"
                else "Arrested; no further action taken",
                decision="ACCEPTED",
                decided_on=start,
            )
        )
        ctx.referrals.append(referral)
        outcome = None
        if kind == "TURNAROUND" and rng.random() < 0.5:
            when = start - D(days=rng.randint(10, 40))
            if periods.age_on(ctx.dob, when) >= 10:
                offence = self.offence(ctx, when, "PRE_COURT")
                outcome = self.outcome(ctx, "NO_FURTHER_ACTION", when + D(days=7), [offence])
        planned = start + D(days=rng.randint(84, 180))
        self.intervention(ctx, kind, outcome, start, planned, pre_court=True)

    def episode(self, ctx: _ChildContext, code: str, offence_date: dt.date) -> dt.date | None:
        """One offence (or a few), its outcome and the work that carries it out.

        Returns the date from which a further offence may follow (None: nothing more happens).
        """
        rng = self.rng
        group = _group(code)
        n_offences = 1 if rng.random() < 0.75 else rng.randint(2, 3)
        dates = [offence_date] + [
            offence_date - D(days=rng.randint(0, 20)) for _ in range(n_offences - 1)
        ]
        tenth = _birthday(ctx.dob, 10)
        offences = [self.offence(ctx, d, group) for d in dates if d >= tenth]
        court = group not in ("PRE_COURT", "PRE_COURT_NS")
        if court:
            first_hearing = offence_date + D(days=rng.randint(21, 120))
            outcome_date = first_hearing + D(days=rng.choice((0, 0, 14, 28, 42, 70, 110)))
        else:
            first_hearing = None
            outcome_date = offence_date + D(days=rng.randint(14, 80))
        source = "COURT" if court else "POLICE"
        pathway = "COURT" if court else ("DIVERSION" if code in PRE_COURT_NS else "OOCD")
        received = min(outcome_date, self.today) - D(days=rng.randint(0, 10))
        # a referral is of a child (services refuse one received on or after the 18th birthday)
        received = min(received, _eighteenth(ctx.dob) - D(days=1))
        referral = self.add(
            cw.Referral(
                child=ctx.child,
                received_on=received,
                source=source,
                pathway=pathway,
                reason="; ".join(o.description for o in offences),
                decision="ACCEPTED",
                decided_on=min(outcome_date, self.today),
            )
        )
        ctx.referrals.append(referral)
        ep = Episode(code, court, offences, referral, first_hearing, outcome_date)
        ctx.episodes.append(ep)
        if court:
            remands = len(ctx.remands)
            self.remands(ctx, code, first_hearing, min(outcome_date, self.today))
            ep.remand = ctx.remands[-1] if len(ctx.remands) > remands else None
        if outcome_date > self.today:  # awaiting the decision or sentence
            ctx.awaiting = True
            return None
        outcome = ep.outcome = self.outcome(ctx, code, outcome_date, offences, first_hearing)
        self.victims(ctx, offences, outcome_date)
        if code in OTHER_FIRST_TIER:
            return outcome_date
        kind = INTERVENTION_FOR[code]
        if kind == "CUSTODY":
            return self.custody(ctx, outcome)
        months = outcome.length_months
        if code == "REFERRAL_ORDER" or code == "YRO":
            planned = periods.add_months(outcome_date, months)
        else:
            planned = outcome_date + D(days=rng.randint(42, 112))
        intervention = ep.intervention = self.intervention(
            ctx, kind, outcome, outcome_date, planned, pre_court=not court
        )
        if code == "REFERRAL_ORDER":
            ep.panels = self.panels(intervention)
        # a further offence may come during the order (breach, resentence) or after it
        return outcome_date if rng.random() < 0.35 else intervention.end_date

    def offence(self, ctx, when: dt.date, group: str) -> cw.Offence:
        rng = self.rng
        weights = {c: w for c, (w, _g, _d) in OFFENCES.items()}
        if group == "CUSTODY":
            weights = {
                "ROBBERY": 5,
                "VIOLENCE_AGAINST_THE_PERSON": 5,
                "DRUGS": 3,
                "BURGLARY": 2,
                "SEXUAL_OFFENCES": 1,
            }
        category = _weighted(rng, weights)
        _w, (low, high), descriptions = OFFENCES[category]
        if group in ("PRE_COURT_NS", "PRE_COURT"):
            high = min(high, 4 if group == "PRE_COURT_NS" else 5)
            low = min(low, high)
        elif group == "CUSTODY":
            low = max(low, 5)
            high = (
                8
                if category in ("ROBBERY", "VIOLENCE_AGAINST_THE_PERSON", "SEXUAL_OFFENCES")
                else max(high, 6)
            )
        gravity = rng.randint(low, high)
        if rng.random() < 0.01:
            gravity = None  # not scored: shows in KPI 9 data quality
        arrest = when + D(days=rng.choice((0, 0, 0, 1, 3, 10)))
        return self.add(
            cw.Offence(
                child=ctx.child,
                offence_date=when,
                arrest_date=min(arrest, self.today),
                description=rng.choice(descriptions),
                category=category,
                gravity_score=gravity,
            )
        )

    def outcome(self, ctx, code, outcome_date, offences, first_hearing=None) -> cw.Outcome:
        rng = self.rng
        months = None
        requirements = ""
        if code == "REFERRAL_ORDER":
            months = rng.choice((3, 3, 6, 6, 6, 9, 12))
        elif code == "YRO":
            months = rng.choice((6, 9, 12, 12, 18, 24))
            n = rng.randint(1, 3)
            reqs = rng.sample(
                YRO_REQUIREMENTS[:-2]
                if periods.age_on(ctx.dob, outcome_date) < 16
                else YRO_REQUIREMENTS,
                n,
            )
            if rng.random() < 0.12:
                reqs.append("Intensive supervision and surveillance (ISS)")
            requirements = ", ".join(sorted(reqs))
        elif code == "DTO":
            months = rng.choice((4, 6, 6, 8, 10, 12, 18, 24))
        elif code in ("S250_DETENTION", "S259_DETENTION"):
            months = rng.choice((30, 36, 48, 60))
        elif code == "REPARATION_ORDER":
            months = 3
        appeal = "NONE"
        if first_hearing is not None and rng.random() < 0.04:
            appeal = _weighted(rng, {"UNSUCCESSFUL": 5, "SUCCESSFUL": 1, "CHANGED_ON_APPEAL": 1})
            if outcome_date > self.today - D(days=60):
                appeal = "PENDING"
        outcome = self.add(
            cw.Outcome(
                child=ctx.child,
                code=code,
                outcome_date=outcome_date,
                first_hearing_date=first_hearing,
                court=rng.choice(("Northshire Youth Court", "Eastmoor Youth Court"))
                if first_hearing
                else "",
                length_months=months,
                yro_requirements=requirements,
                appeal_status=appeal,
                residence="LOCAL" if ctx.residence == "LOCAL" else ctx.residence,
            )
        )
        for offence in offences:
            self.outcome_offences.append((outcome, offence))
        ctx.outcomes.append(outcome)
        return outcome

    def intervention(
        self, ctx, kind, outcome, start, planned, *, pre_court=False, fixed_end=_RANDOM
    ) -> cw.Intervention:
        """An intervention with its casework; it ends around ``planned`` unless ``fixed_end``."""
        rng = self.rng
        end, reason, success = None, "", None
        if fixed_end is not _RANDOM:
            actual, reason = fixed_end, "COMPLETED"
        elif rng.random() < 0.1 and not pre_court:
            actual = start + D(days=int((planned - start).days * rng.uniform(0.3, 0.9)))
            reason = _weighted(rng, {"BREACHED": 3, "REVOKED": 2, "TRANSFERRED": 1})
        else:
            actual = planned + D(days=rng.randint(-5, 10))
            reason = "COMPLETED"
        if actual is not None and actual <= self.today - D(days=1):
            end = max(actual, start)
            if pre_court:
                r = rng.random()
                success = True if r < 0.78 else False if r < 0.92 else None
                reason = "COMPLETED" if success else rng.choice(("DISENGAGED", "OTHER"))
            else:
                success = reason == "COMPLETED"
        else:
            reason = ""
        worker = (
            ctx.worker if rng.random() < 0.85 else rng.choice(self.practitioners[ctx.team_name])
        )
        intervention = self.add(
            cw.Intervention(
                child=ctx.child,
                outcome=outcome,
                kind=kind,
                start_date=start,
                planned_end_date=planned,
                end_date=end,
                worker=worker,
                team=ctx.team,
                completed_successfully=success,
                end_reason=reason,
            )
        )
        ctx.interventions.append(intervention)
        ctx.last_end = end
        self.casework(ctx, intervention)
        return intervention

    def panels(self, intervention) -> list[cw.ReferralOrderPanel]:
        rng = self.rng
        order_date = intervention.start_date
        wd = rng.randint(6, 20) if rng.random() < 0.86 else rng.randint(21, 40)
        initial = periods.add_working_days(order_date, wd)
        if initial > self.today:
            return []
        panels = [
            self.add(
                cw.ReferralOrderPanel(
                    intervention=intervention, panel_type="INITIAL", panel_date=initial
                )
            )
        ]
        end = intervention.end_date or self.today
        review = periods.add_months(initial, 3)
        while review < end - D(days=20):
            panels.append(
                self.add(
                    cw.ReferralOrderPanel(
                        intervention=intervention, panel_type="REVIEW", panel_date=review
                    )
                )
            )
            review = periods.add_months(review, 3)
        if intervention.end_date and intervention.end_reason == "COMPLETED":
            panels.append(
                self.add(
                    cw.ReferralOrderPanel(
                        intervention=intervention,
                        panel_type="FINAL",
                        panel_date=intervention.end_date,
                    )
                )
            )
        return panels

    def remands(self, ctx, code, first_hearing, until):
        """Bail and remand decisions between first hearing and sentence (more for serious)."""
        rng = self.rng
        if first_hearing > self.today:
            return
        custody = code in CUSTODIAL
        chance = 0.85 if custody else 0.45 if code == "YRO" else 0.3
        if rng.random() >= chance:
            return
        if custody:
            decision = _weighted(
                rng,
                {
                    "REMAND_IN_CUSTODY": 6,
                    "COURT_ORDERED_SECURE_REMAND": 1,
                    "REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_TAG": 2,
                    "BAIL_WITH_ISS": 1,
                },
            )
        else:
            decision = _weighted(
                rng,
                {
                    "CONDITIONAL_BAIL": 10,
                    "UNCONDITIONAL_BAIL": 3,
                    "BAIL_WITH_ISS": 2,
                    "REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION": 2,
                    "REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_CURFEW": 1,
                    "REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION_AND_GPS_TAG": 1,
                    "REMAND_IN_CUSTODY": 2.5,
                },
            )
        secure = decision in ("REMAND_IN_CUSTODY", "COURT_ORDERED_SECURE_REMAND")
        rila = decision.startswith("REMAND_TO_LOCAL_AUTHORITY")
        end = until if until < self.today else None
        if end and not custody and secure and rng.random() < 0.5:
            end = first_hearing + D(days=rng.randint(14, max(14, (until - first_hearing).days)))
            end = min(end, until)
        establishment, cost = "", None
        if secure:
            establishment = _weighted(rng, {"YOI": 6, "STC": 2, "SCH": 2})
            cost = SECURE_NIGHTLY_COST[establishment]
        elif rila:
            establishment, cost = "LA", RILA_NIGHTLY_COST
        remand = self.add(
            cw.Remand(
                child=ctx.child,
                decision=decision,
                start_date=first_hearing,
                end_date=end,
                first_hearing_date=first_hearing,
                establishment=establishment,
                nightly_cost=cost,
                circumstances="Remanded after first appearance; bail package considered"
                if secure
                else "",
            )
        )
        ctx.remands.append(remand)
        if secure or rila:
            self.intervention(ctx, "BAIL_SUPPORT", None, first_hearing, end or until, fixed_end=end)

    def custody(self, ctx, outcome) -> dt.date | None:
        rng = self.rng
        start = outcome.outcome_date
        months = outcome.length_months
        release = periods.add_months(start, months // 2)
        licence_end = periods.add_months(start, months)
        establishment = _weighted(rng, {"YOI": 6, "STC": 1, "SCH": 2, "SECURE_SCHOOL": 1})
        episode = self.add(
            cw.CustodyEpisode(
                child=ctx.child,
                outcome=outcome,
                establishment=establishment,
                start_date=start,
                release_date=release if release <= self.today else None,
                licence_end_date=licence_end if licence_end <= self.today else None,
            )
        )
        ctx.custody.append(episode)
        self.intervention(ctx, "CUSTODY", outcome, start, licence_end, fixed_end=licence_end)
        resettle_start = release - D(days=60)
        if resettle_start <= self.today:
            self.intervention(ctx, "RESETTLEMENT", None, resettle_start, release + D(days=90))
        return release if release <= self.today else None

    # ----------------------------------------------------------------------- casework records

    def casework(self, ctx, intervention):
        """Assessment, plan, contacts and management oversight for one intervention."""
        rng = self.rng
        start = intervention.start_date
        end = intervention.end_date or self.today
        court = intervention.kind in ("REFERRAL_ORDER", "YRO", "CUSTODY")
        if intervention.kind != "BAIL_SUPPORT":
            kind = (
                "ASSETPLUS"
                if court
                else _weighted(rng, {"PREVENTION_DIVERSION": 4, "SHORT_FORMAT": 1})
            )
            done = start + D(days=rng.randint(5, 20)) if start + D(days=5) <= self.today else None
            while done and done <= end:
                risk = _weighted(
                    rng,
                    {"LOW": 5, "MEDIUM": 4, "HIGH": 1}
                    if not court
                    else {"LOW": 2, "MEDIUM": 5, "HIGH": 3},
                )
                review = periods.add_months(done, 3 if court else 6)
                skip_review = (
                    intervention.end_date is None and review < self.today and rng.random() < 0.25
                )
                self.add(
                    cw.Assessment(
                        child=ctx.child,
                        kind=kind,
                        completed_on=done,
                        assessor=intervention.worker,
                        likelihood_of_reoffending=risk,
                        risk_of_serious_harm=_weighted(
                            rng, {"LOW": 5, "MEDIUM": 4, "HIGH": 1.5, "VERY_HIGH": 0.2}
                        ),
                        safety_and_wellbeing=_weighted(
                            rng, {"LOW": 3, "MEDIUM": 5, "HIGH": 2, "VERY_HIGH": 0.3}
                        ),
                        needs=rng.choice(NEEDS),
                        review_due=review,
                    )
                )
                if skip_review or review > end:
                    break  # an open case whose review is overdue, or the work ended
                done = review + D(days=rng.randint(-10, 5))
            agreed = periods.add_working_days(start, rng.randint(5, 15))
            if agreed <= end:
                self.add(
                    cw.ChildPlan(
                        child=ctx.child,
                        agreed_on=agreed,
                        goals=rng.choice(GOALS),
                        we_will=rng.choice(WE_WILL),
                        co_produced=rng.random() < 0.88,
                    )
                )
        gap = 7 if intervention.kind == "BAIL_SUPPORT" else 10 if court else 14
        if intervention.kind == "CUSTODY":
            gap = 28
        day, made = start + D(days=rng.randint(1, 6)), 0
        while day <= end and made < 45:
            self.add(
                cw.Contact(
                    child=ctx.child,
                    contact_date=day,
                    contact_type=_weighted(
                        rng,
                        {
                            "SUPERVISION": 5,
                            "HOME_VISIT": 2,
                            "INTERVENTION": 4,
                            "REPARATION": 1,
                            "EDUCATION": 1,
                            "HEALTH": 0.5,
                        },
                    ),
                    mode=_weighted(rng, {"FACE_TO_FACE": 78, "VIRTUAL": 12, "PHONE": 10}),
                    attended=rng.random() < 0.86,
                    worker=intervention.worker,
                )
            )
            day += D(days=gap + rng.randint(-2, 4))
            made += 1
        manager = self.managers[ctx.team_name]
        day = start + D(days=rng.randint(3, 15))
        while day <= end:
            self.add(
                cw.ManagementOversight(
                    child=ctx.child,
                    recorded_on=day,
                    manager=manager,
                    summary="Case discussed in supervision; plan and risk reviewed.",
                    actions=rng.choice(
                        (
                            "",
                            "Review the plan after the next panel.",
                            "Escalate accommodation concerns to children's social care.",
                            "Check that the victim's views are in the plan.",
                        )
                    ),
                )
            )
            day = periods.add_months(day, 3)

    def victims(self, ctx, offences, outcome_date):
        rng = self.rng
        for offence in offences:
            if offence.category in PERSONAL_VICTIM and rng.random() < 0.7:
                business = offence.category in BUSINESS_VICTIM and rng.random() < 0.35
            elif offence.category in BUSINESS_VICTIM and rng.random() < 0.5:
                business = True
            else:
                continue
            name = (
                rng.choice(BUSINESSES)
                if business
                else f"{rng.choice(BOYS + GIRLS)} {rng.choice(SURNAMES)}"
            )
            consent = _weighted(rng, {"YES": 55, "NO": 30, "": 15})
            v = cw.Victim(
                service=self.service,
                victim_type="ORGANISATION" if business else "INDIVIDUAL",
                name=name,
                consent_to_contact=consent,
            )
            if consent == "YES":
                contacted = offence.offence_date + D(days=rng.randint(7, 40))
                v.contacted_on = contacted if contacted <= self.today else None
                v.rj_offered = "YES" if rng.random() < 0.85 else "NO"
                v.rj_engaged = "YES" if v.rj_offered == "YES" and rng.random() < 0.5 else "NO"
                v.view_sought = "YES" if rng.random() < 0.82 else "NO"
                v.progress_requested = "YES" if rng.random() < 0.5 else "NO"
                v.progress_provided = (
                    "YES" if v.progress_requested == "YES" and rng.random() < 0.85 else "NO"
                )
                v.support_requested = "YES" if rng.random() < 0.3 else "NO"
                v.support_provided = (
                    "YES" if v.support_requested == "YES" and rng.random() < 0.8 else "NO"
                )
                if v.rj_engaged == "YES" and rng.random() < 0.7:
                    v.satisfaction = _weighted(
                        rng,
                        {
                            "VERY_SATISFIED": 4,
                            "SATISFIED": 4,
                            "DISSATISFIED": 1,
                            "VERY_DISSATISFIED": 0.5,
                        },
                    )
            elif consent == "NO":
                v.view_sought = "NO"
            self.add(v)
            self.victim_offences.append((v, offence))

    # ----------------------------------------------------------------------- status records

    def care_statuses(self, ctx):
        rng = self.rng
        earliest = periods.add_months(ctx.dob, 12 * 8)
        eighteen = _eighteenth(ctx.dob)

        def period(status, start, months_min, months_max, open_chance):
            start = max(start, earliest)
            if start > self.today:
                return
            end = None
            if rng.random() >= open_chance:
                end = periods.add_months(start, rng.randint(months_min, months_max))
                if end > self.today:
                    end = None
            if end is None and eighteen <= self.today:
                end = eighteen - D(days=1)
            if end is not None and end < start:
                return
            self.add(cw.CareStatus(child=ctx.child, status=status, start_date=start, end_date=end))

        if ctx.looked_after:
            period("LOOKED_AFTER", ctx.entry - D(days=rng.randint(60, 2000)), 12, 60, 0.7)
        for remand in ctx.remands:  # a remand to YDA or the LA makes the child looked after
            if not ctx.looked_after and (remand.secure or remand.establishment == "LA"):
                end = remand.end_date
                self.add(
                    cw.CareStatus(
                        child=ctx.child,
                        status="LOOKED_AFTER",
                        start_date=remand.start_date,
                        end_date=end,
                    )
                )
        r = rng.random()
        if not ctx.looked_after and r < 0.09:
            period("CHILD_PROTECTION_PLAN", ctx.entry - D(days=rng.randint(0, 500)), 6, 18, 0.3)
        elif not ctx.looked_after and r < 0.26:
            period("CHILD_IN_NEED", ctx.entry - D(days=rng.randint(0, 600)), 4, 20, 0.35)
        r = rng.random()
        if r < 0.16:
            period("EARLY_HELP_PLAN", ctx.entry - D(days=rng.randint(-60, 400)), 3, 12, 0.3)
        elif r < 0.22:
            period("EARLY_HELP_REFERRAL", ctx.entry + D(days=rng.randint(-200, 120)), 1, 3, 0.2)

    def send(self, ctx):
        if ctx.send == "NONE":
            return
        start = max(
            ctx.entry - D(days=self.rng.randint(100, 2500)), periods.add_months(ctx.dob, 12 * 5)
        )
        end = None
        if _eighteenth(ctx.dob) <= self.today and ctx.send == "SEN_SUPPORT":
            end = periods.school_leaving_date(ctx.dob)
            if end < start:
                end = None
        identified = "NO" if ctx.send == "NO" else "YES"
        self.add(
            cw.SendRecord(
                child=ctx.child,
                identified=identified,
                formal_plan="YES" if ctx.send == "EHCP" else "NO",
                support=ctx.send if ctx.send in ("EHCP", "SEN_SUPPORT") else "NONE",
                start_date=start,
                end_date=end,
            )
        )

    def exploitation(self, ctx):
        rng = self.rng
        serious = any(o.code in CUSTODIAL + ("YRO", "REFERRAL_ORDER") for o in ctx.outcomes)
        if rng.random() >= (0.22 if serious else 0.08):
            return
        identified = ctx.entry + D(days=rng.randint(-90, 120))
        identified = min(max(identified, periods.add_months(ctx.dob, 120)), self.today)
        concern = _weighted(
            rng,
            {
                "CCE": 5,
                "COUNTY_LINES": 3,
                "CSE": 2 if ctx.child.sex == "2" else 0.4,
                "TRAFFICKING": 0.5,
            },
        )
        nrm, decision = None, ""
        if rng.random() < 0.6:
            nrm = identified + D(days=rng.randint(5, 60))
            if nrm > self.today:
                nrm = None
            else:
                decision = _weighted(
                    rng,
                    {
                        "PENDING": 3,
                        "POSITIVE_REASONABLE": 3,
                        "POSITIVE_CONCLUSIVE": 2,
                        "NEGATIVE": 1,
                    },
                )
        ended = identified + D(days=rng.randint(120, 600)) if rng.random() < 0.4 else None
        self.add(
            cw.ExploitationConcern(
                child=ctx.child,
                concern=concern,
                identified_on=identified,
                nrm_referred_on=nrm,
                nrm_decision=decision,
                ended_on=ended if ended and ended <= self.today else None,
            )
        )

    def _segments(self, points):
        """Dated change points -> consecutive records (the last one open)."""
        points = sorted((p for p in points if p[0] <= self.today), key=lambda p: p[0])
        merged: list = []
        for p in points:
            if merged and merged[-1][0] == p[0]:
                merged[-1] = p
            else:
                merged.append(p)
        out = []
        for i, (start, *rest) in enumerate(merged):
            end = merged[i + 1][0] - D(days=1) if i + 1 < len(merged) else None
            out.append((start, end, *rest))
        return out

    def change_day(self, ctx) -> dt.date:
        """When a status changes: often during an order, so start and end differ (KPIs 1-2)."""
        ordered = [i for i in ctx.interventions if i.outcome is not None]
        if ordered and self.rng.random() < 0.6:
            i = self.rng.choice(ordered)
            return self.day(i.start_date + D(days=1), i.end_date or self.today)
        return self.day(ctx.entry, self.today)

    def _first_day(self, ctx) -> dt.date:
        first = min(
            [
                ctx.entry,
                *(o.outcome_date for o in ctx.outcomes),
                *(i.start_date for i in ctx.interventions),
            ]
        )
        return first - D(days=self.rng.randint(30, 300))

    def accommodation(self, ctx):
        rng = self.rng
        if ctx.looked_after:
            base = _weighted(
                rng,
                {
                    "FOSTER_CARE_LA": 4,
                    "FOSTER_CARE_PRIVATE": 2,
                    "RESIDENTIAL_UNIT_LA": 2,
                    "RESIDENTIAL_UNIT_PRIVATE": 2,
                    "SUPPORTED_ACCOMMODATION": 1,
                },
            )
        else:
            base = _weighted(
                rng,
                {
                    "LIVING_WITH_PARENTS": 80,
                    "AT_HOME": 4,
                    "LIVING_WITH_FAMILY": 9,
                    "LIVING_WITH_FRIENDS": 1,
                    "TRAVELLER_SITE": 1,
                    "UNKNOWN": 2,
                },
            )
        points = [(self._first_day(ctx), base, self._suitability(base))]
        if rng.random() < 0.3:
            change = self.change_day(ctx)
            new = _weighted(
                rng,
                {
                    "LIVING_WITH_FAMILY": 3,
                    "TEMPORARY_ACCOMMODATION": 2,
                    "SUPPORTED_ACCOMMODATION": 2,
                    "FOSTER_CARE_LA": 1,
                    "LIVING_WITH_PARENTS": 3,
                    "BED_AND_BREAKFAST": 0.5,
                    "NO_FIXED_ABODE": 0.5,
                    "INDEPENDENT_LIVING": 0.5,
                    "BAIL_HOSTEL": 0.3,
                    "HOSPITAL": 0.2,
                    "OTHER": 0.3,
                },
            )
            points.append((change, new, self._suitability(new)))
        for remand in ctx.remands:
            if remand.secure:
                points.append((remand.start_date, remand.establishment, "SUITABLE"))
                if remand.end_date:
                    points.append((remand.end_date + D(days=1), base, self._suitability(base)))
        for episode in ctx.custody:
            secure = (
                episode.establishment if episode.establishment in ("YOI", "STC", "SCH") else "SCH"
            )
            points.append((episode.start_date, secure, "SUITABLE"))
            if episode.release_date:
                after = _weighted(
                    rng, {base: 6, "SUPPORTED_ACCOMMODATION": 2, "TEMPORARY_ACCOMMODATION": 1}
                )
                points.append((episode.release_date, after, self._suitability(after)))
        for start, end, kind, suit in self._segments(points):
            self.add(
                cw.AccommodationRecord(
                    child=ctx.child,
                    start_date=start,
                    end_date=end,
                    accommodation_type=kind,
                    suitability=suit,
                )
            )

    def _suitability(self, kind):
        if kind in ("BED_AND_BREAKFAST", "NO_FIXED_ABODE"):
            return "UNSUITABLE"
        if kind == "UNKNOWN":
            return "UNKNOWN"
        r = self.rng.random()
        unsuitable = 0.25 if kind in ("TEMPORARY_ACCOMMODATION", "BAIL_HOSTEL") else 0.06
        return (
            "UNSUITABLE" if r < unsuitable else "UNKNOWN" if r < unsuitable + 0.02 else "SUITABLE"
        )

    def ete(self, ctx):
        rng = self.rng
        leaving = periods.school_leaving_date(ctx.dob)

        def school():
            kind = _weighted(
                rng,
                {
                    "MAINSTREAM_SCHOOL": 55,
                    "SCHOOL_PART_TIME": 9,
                    "PUPIL_REFERRAL_UNIT": 9,
                    "ALTERNATIVE_PROVISION": 9,
                    "ELECTIVE_HOME_EDUCATION": 2,
                    "NONE": 4,
                },
            )
            hours = {
                "MAINSTREAM_SCHOOL": 25,
                "SCHOOL_PART_TIME": rng.choice((10, 12, 15, 20)),
                "PUPIL_REFERRAL_UNIT": rng.choice((15, 20, 25)),
                "ALTERNATIVE_PROVISION": rng.choice((6, 10, 15, 25)),
                "ELECTIVE_HOME_EDUCATION": 0,
                "NONE": 0,
            }[kind]
            return kind, hours

        def post16():
            kind = _weighted(
                rng,
                {
                    "COLLEGE": 36,
                    "APPRENTICESHIP": 8,
                    "FULL_TIME_EMPLOYMENT": 4,
                    "PART_TIME_EMPLOYMENT": 5,
                    "TRAINEESHIP": 4,
                    "EDUCATION_REENGAGEMENT": 8,
                    "VOLUNTARY_WORK": 1,
                    "ALTERNATIVE_PROVISION_ABOVE_SCHOOL_AGE": 4,
                    "NONE": 24,
                },
            )
            hours = {
                "COLLEGE": rng.choice((12, 16, 16, 18)),
                "APPRENTICESHIP": 30,
                "FULL_TIME_EMPLOYMENT": 37,
                "PART_TIME_EMPLOYMENT": rng.choice((8, 16, 20)),
                "TRAINEESHIP": 20,
                "EDUCATION_REENGAGEMENT": rng.choice((6, 10, 16)),
                "VOLUNTARY_WORK": 6,
                "ALTERNATIVE_PROVISION_ABOVE_SCHOOL_AGE": 12,
                "NONE": 0,
            }[kind]
            return kind, hours

        def point(on, kind, hours):
            full = 25 if on <= leaving else 16
            if kind == "NONE":
                # now and then recorded as suitable: the data-quality exception KPI 2 reports
                suit = "SUITABLE" if rng.random() < 0.04 else "UNSUITABLE"
            elif hours < full:
                suit = "SUITABLE" if rng.random() < 0.5 else "UNSUITABLE"
            else:
                suit = "SUITABLE" if rng.random() < 0.93 else "UNSUITABLE"
            if rng.random() < 0.03:
                suit = "UNKNOWN"
            attended = round(hours * rng.choice((1, 1, 0.9, 0.8, 0.6, 0.4)))
            return (on, kind, suit, hours, attended)

        first = self._first_day(ctx)
        points = [point(first, *(school() if first <= leaving else post16()))]
        if first <= leaving < self.today:
            points.append(point(leaving + D(days=1), *post16()))
        if rng.random() < 0.25:
            change = self.change_day(ctx)
            points.append(point(change, *(school() if change <= leaving else post16())))
        for episode in ctx.custody:
            points.append((episode.start_date, "OTHER", "SUITABLE", 25, 22))  # education inside
            if episode.release_date:
                on = episode.release_date
                points.append(point(on, *(school() if on <= leaving else post16())))
        for start, end, kind, suit, hours, attended in self._segments(points):
            self.add(
                cw.EteRecord(
                    child=ctx.child,
                    start_date=start,
                    end_date=end,
                    provision=kind,
                    suitability=suit,
                    hours_offered=hours,
                    hours_attended=attended,
                )
            )

    def health(self, ctx, model, chance, types):
        rng = self.rng
        ordered = [i for i in ctx.interventions if i.outcome is not None]
        if not ordered or rng.random() >= chance:
            return
        first = ordered[0]
        if rng.random() < 0.15:  # already in treatment when the order starts
            need = first.start_date - D(days=rng.randint(60, 400))
            offered = need + D(days=rng.randint(14, 50))
            self.add(
                model(
                    child=ctx.child,
                    need_identified_on=need,
                    referred_on=need,
                    offered_on=offered,
                    attended_start=offered + D(days=7),
                    attended_end=None,
                    intervention_type=_weighted(rng, types),
                )
            )
            return
        need = first.start_date + D(days=rng.randint(3, 30))
        if need > self.today:
            return
        record = model(
            child=ctx.child, need_identified_on=need, intervention_type="NO_INTERVENTION"
        )
        if rng.random() < 0.82:
            # never a referral dated after today (the snapshot loader refuses one)
            record.referred_on = min(need + D(days=rng.randint(1, 14)), self.today)
            offered = record.referred_on + D(days=rng.randint(7, 40))
            if offered <= self.today and rng.random() < 0.85:
                record.offered_on = offered
                record.intervention_type = _weighted(rng, types)
                if rng.random() < 0.72:
                    start = offered + D(days=rng.randint(3, 21))
                    if start <= self.today:
                        record.attended_start = start
                        end = start + D(days=rng.randint(30, 200))
                        record.attended_end = end if end <= self.today else None
        self.add(record)

    def transition_and_closure(self, ctx):
        rng = self.rng
        child = ctx.child
        seventeen_half = periods.add_months(ctx.dob, 17 * 12 + 6)
        eighteen = _eighteenth(ctx.dob)
        running = [
            i
            for i in ctx.interventions
            if i.start_date <= seventeen_half
            and (i.end_date is None or i.end_date >= seventeen_half)
        ]
        if running and seventeen_half <= self.today:
            beyond = any((i.planned_end_date or i.start_date) >= eighteen for i in running)
            if rng.random() < 0.85 or not any(i.end_date is None for i in running):
                decided = min(seventeen_half + D(days=rng.randint(-40, 30)), self.today)
                decision = "TRANSFER_TO_PROBATION" if beyond else "REMAIN_WITH_YJS"
                transferred = (
                    eighteen
                    if decision == "TRANSFER_TO_PROBATION" and eighteen <= self.today
                    else None
                )
                self.add(
                    cw.TransitionDecision(
                        child=child,
                        decided_on=decided,
                        decision=decision,
                        transferred_on=transferred,
                        notes="Joint transition meeting with probation held"
                        if decision == "TRANSFER_TO_PROBATION"
                        else "",
                    )
                )
                if transferred:
                    for i in running:
                        if i.end_date is None or i.end_date > transferred:
                            i.end_date = transferred
                            i.end_reason = "TRANSFERRED"
                            i.completed_successfully = (
                                None if i.kind in ("DIVERSION", "OOCD") else False
                            )
                    ctx.transferred = transferred
        ends = [i.end_date for i in ctx.interventions]
        if ctx.awaiting or not all(ends):
            return  # work still open
        last = max([*ends, *(o.outcome_date for o in ctx.outcomes)], default=None)
        if last is None or last >= self.today - D(days=14):
            return
        if ctx.transferred:
            child.closed_on, child.closure_reason = ctx.transferred, "TRANSFERRED_TO_PROBATION"
        elif rng.random() < 0.92 or last < self.today - D(days=120):
            # A few recent cases wait to be closed; none lingers for months.
            child.closed_on = min(last + D(days=rng.randint(1, 14)), self.today)
            child.closure_reason = _weighted(
                rng,
                {
                    "COMPLETED": 12,
                    "NO_FURTHER_INVOLVEMENT": 2,
                    "MOVED_AREA": 1,
                    "TRANSFERRED_YJS": 0.5,
                },
            )

    def allocations(self, ctx):
        """The child's allocation history: the first at referral; a recent referral with no
        work started yet may still wait in the team's queue; some cases change worker; a case
        closed as transferred to another service has its transfer out."""
        rng, child = self.allocation_rng, ctx.child
        waiting = (
            child.closed_on is None
            and not ctx.interventions
            and ctx.entry >= self.today - D(days=28)
            and rng.random() < 0.6
        )
        if waiting:
            child.allocated_worker = None
        first = cw.Allocation(
            child=child,
            team=ctx.team,
            worker=child.allocated_worker,
            allocated_on=ctx.entry,
            reason="New referral",
        )
        self.add(first)
        end = child.closed_on or self.today
        others = [w for w in self.practitioners[ctx.team_name] if w != ctx.worker]
        if not waiting and others and (end - ctx.entry).days > 60 and rng.random() < 0.15:
            worker = rng.choice(others)
            self.add(
                cw.Allocation(
                    child=child,
                    team=ctx.team,
                    worker=worker,
                    allocated_on=self.day_from(rng, ctx.entry + D(days=30), end),
                    reason=rng.choice(
                        ["Worker left the team", "Caseload balanced", "Worker on leave"]
                    ),
                )
            )
            child.allocated_worker = worker
        if child.closure_reason == "TRANSFERRED_YJS":
            self.add(
                cw.Transfer(
                    child=child,
                    direction=cw.Transfer.Direction.OUT,
                    other_service="Southmoor Youth Justice Service",
                    their_reference=f"SM{rng.randint(10000, 99999)}",
                    transfer_date=child.closed_on,
                    notes="Child moved to live with family in Southmoor",
                )
            )

    @staticmethod
    def day_from(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + D(days=rng.randint(0, span)) if span > 0 else start

    # ----------------------------------------------------------------------- saving

    ORDER = (
        PopulationEstimate,
        EthnicPopulation,
        LookedAfterPopulation,
        cw.Child,
        cw.Allocation,
        cw.Transfer,
        cw.EthnicityRecord,
        cw.CareStatus,
        cw.SendRecord,
        cw.ExploitationConcern,
        cw.Referral,
        cw.Offence,
        cw.Outcome,
        cw.Intervention,
        cw.ReferralOrderPanel,
        cw.Remand,
        cw.CustodyEpisode,
        cw.Assessment,
        cw.ChildPlan,
        cw.Contact,
        cw.ManagementOversight,
        cw.AccommodationRecord,
        cw.EteRecord,
        cw.MentalHealthRecord,
        cw.SubstanceMisuseRecord,
        cw.Victim,
        cw.TransitionDecision,
        *JourneyWork.MODELS,
        *PeopleAndPlaces.MODELS,
        *ParentingDemo.MODELS,
        AuditEvent,
    )

    def save(self, tick: Callable[[str], None] | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for model in self.ORDER:
            rows = self.rows.get(model, [])
            if tick:
                tick(model._meta.verbose_name_plural)
            if model is AuditEvent:  # the child's id is known only once children are saved
                for event in rows:
                    event.object_id = str(event.child.pk)
                audit.append(rows)  # chained onto the trail like every other event
            else:
                model.objects.bulk_create(rows, batch_size=500)
            counts[model.__name__] = len(rows)
            if model is cw.Outcome:
                # Variations (issue 10) name the order they vary: saved once it has its id.
                variations = [v for v, _offences in self.work.variations]
                cw.Outcome.objects.bulk_create(variations)
                counts["Outcome"] += len(variations)
                counts["Variation"] = len(variations)
                links = self.outcome_offences + [
                    (v, f) for v, offences in self.work.variations for f in offences
                ]
                through = cw.Outcome.offences.through
                through.objects.bulk_create(
                    [through(outcome_id=o.pk, offence_id=f.pk) for o, f in links],
                    batch_size=1000,
                )
            if model in self.work.links:  # hearings' and panels' offences
                through = model.offences.through
                column = f"{model._meta.model_name}_id"
                through.objects.bulk_create(
                    [
                        through(**{column: r.pk, "offence_id": f.pk})
                        for r, f in self.work.links[model]
                    ],
                    batch_size=1000,
                )
            if model is cw.Victim:
                through = cw.Victim.offences.through
                through.objects.bulk_create(
                    [through(victim_id=v.pk, offence_id=f.pk) for v, f in self.victim_offences],
                    batch_size=1000,
                )
        counts["User"] = len(self.users)
        return counts


@dataclass
class _ChildContext:
    child: cw.Child
    dob: dt.date
    entry: dt.date
    team: Team
    team_name: str
    worker: User
    residence: str
    looked_after: bool = False
    send: str = "NONE"
    outcomes: list = field(default_factory=list)
    interventions: list = field(default_factory=list)
    remands: list = field(default_factory=list)
    custody: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    episodes: list = field(default_factory=list)
    last_end: dt.date | None = None
    awaiting: bool = False
    transferred: dt.date | None = None


def _group(code: str) -> str:
    if code in PRE_COURT_NS:
        return "PRE_COURT_NS"
    if code in CAUTIONS:
        return "PRE_COURT"
    if code in CUSTODIAL:
        return "CUSTODY"
    if code == "YRO":
        return "COMMUNITY"
    return "FIRST_TIER"


# --------------------------------------------------------------------------- the board (KPI 7)

BOARD = (
    # name, position, organisation, sector, role, senior-attendance chance
    (
        "Priya Nandra",
        "Director of Children's Services",
        "Northshire Council",
        "LA_CHILDRENS_SOCIAL_CARE",
        "CHAIR",
        0.9,
    ),
    ("Tom Ashby", "Head of Inclusion", "Northshire Council", "LA_EDUCATION", "MEMBER", 0.6),
    (
        "Ch Supt Rachel Moss",
        "Chief Superintendent",
        "Northshire Police",
        "POLICE",
        "DEPUTY_CHAIR",
        0.8,
    ),
    (
        "Daniel Osei",
        "Head of Probation Delivery Unit",
        "Probation Service",
        "PROBATION",
        "MEMBER",
        0.55,
    ),
    (
        "Dr Helen Carr",
        "Designated Nurse, Safeguarding Children",
        "Northshire Integrated Care Board",
        "HEALTH",
        "MEMBER",
        0.5,
    ),
    ("Lena Ward", "Head of Community Safety", "Eastmoor Council", "OTHER", "MEMBER", 0.7),
)


def create_board(service: Service, rng: random.Random, today: dt.date) -> int:
    """Board members of the five statutory sectors (and others), quarterly meetings, attendance.

    Kept apart from the casework generator so the governance app can call it on its own.
    Returns the number of meetings created; 0 when the governance models are not installed.
    """
    try:
        from yjs.governance.models import BoardAttendance, BoardMeeting, BoardMember
    except ImportError:
        return 0
    members = BoardMember.objects.bulk_create(
        [
            BoardMember(
                service=service,
                name=name,
                position=position,
                organisation=org,
                sector=sector,
                board_role=role,
                joined_on=dt.date(2021, 9, 1),
                named_deputy="Service manager" if sector != "OTHER" else "",
            )
            for name, position, org, sector, role, _chance in BOARD
        ]
    )
    meetings, attendance = [], []
    q = periods.quarter_of(FIRST_DAY)
    while q.start <= today:
        meeting_date = q.start + D(days=40 + rng.randint(0, 20))
        while meeting_date.weekday() != 2:  # boards meet on Wednesdays
            meeting_date += D(days=1)
        if meeting_date <= today:
            meetings.append(
                BoardMeeting(
                    service=service,
                    meeting_date=meeting_date,
                    minutes_published_on=periods.add_working_days(meeting_date, rng.randint(5, 14))
                    if periods.add_working_days(meeting_date, 14) <= today
                    else None,
                )
            )
        q = q.next()
    meetings = BoardMeeting.objects.bulk_create(meetings)
    first = True
    for meeting in meetings:
        for member, (_n, _p, _o, sector, _r, chance) in zip(members, BOARD, strict=True):
            r = rng.random()
            level = "SENIOR" if r < chance else "DELEGATED" if r < chance + 0.3 else "NONE"
            attendance.append(
                BoardAttendance(
                    meeting=meeting,
                    sector=sector,
                    attendance=level,
                    member=member if level == "SENIOR" else None,
                    attended_by="Service manager (delegate)" if level == "DELEGATED" else "",
                    new_partner=first or rng.random() < 0.04,
                    disproportionality_data=sector != "OTHER" and rng.random() < 0.45,
                )
            )
        first = False
    BoardAttendance.objects.bulk_create(attendance)
    return len(meetings)


# --------------------------------------------------------------------------- entry point


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    children: int = DEFAULT_CHILDREN,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoSummary:
    """Create the Northshire demo service in one transaction.

    ``progress(stage, done, total)`` is called as work advances (the command draws a bar).
    """
    today = today or timezone.localdate()
    gen = _Generator(seed, children, today)

    def tick_child():
        tick_child.done += 1
        if progress and (tick_child.done % 20 == 0 or tick_child.done == children):
            progress("Generating children", tick_child.done, children)

    tick_child.done = 0
    stages = len(_Generator.ORDER)

    def tick_save(name):
        tick_save.done += 1
        if progress:
            progress(f"Saving {name}", tick_save.done, stages)

    tick_save.done = 0
    with transaction.atomic():
        gen.organisation()
        gen.population()
        gen.children(tick_child)
        counts = gen.save(tick_save)
        meetings = create_board(gen.service, random.Random(seed + 7), today)
        # The diaries and tasks (issue 11): a stream of their own, after everything else.
        counts.update(diary_demo.add_diaries(gen.service, random.Random(seed + 11), today))
        # The programmes and their cohorts (issue 14): a stream of their own, seeded by text.
        programmes_rng = random.Random(f"{seed}-programmes")
        counts.update(programmes_demo.add_programmes(gen.service, programmes_rng, today))
        # Feedback, quotes and participation pledges (issue 14): a stream of their own too.
        counts.update(voice_demo.add_feedback(gen.service, random.Random(seed + 14), today))
        # Workforce, volunteers and resources (issue 14): a stream of its own, after the rest.
        counts.update(
            workforce_demo.add_workforce(gen.service, random.Random(f"{seed}-workforce"), today)
        )
    counts["BoardMeeting"] = meetings
    return DemoSummary(seed=seed, today=today, counts=counts, board=bool(meetings))


def outcome_mix(summary_service_code: str = SERVICE_CODE) -> Counter:
    """Outcome codes in the demo service, for the report and tests."""
    return Counter(
        cw.Outcome.objects.filter(child__service__code=summary_service_code).values_list(
            "code", flat=True
        )
    )
