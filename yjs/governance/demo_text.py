"""The demo plan's narrative: invented text for the synthetic Northshire and Eastmoor partnership.

Written to the length and kind of real plans' sections (so a reader sees what a finished plan
looks like) but naming no real service, person or child. Figures are never written in: they
are [[kpi:…]] placeholders the engine fills in, as an author would use them. {start}, {end}
and {previous_start} are the plan's years.
"""

from __future__ import annotations

from textwrap import dedent


def _markdown(text: str) -> str:
    """Source wrapped at 100 characters back to one line per paragraph, bullet or quote, as an
    author would have typed it into the section's box."""
    out: list[str] = []
    for line in dedent(text).strip().splitlines():
        line = line.strip()
        if out and out[-1] and line and not line.startswith(("- ", "> ", "#")):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


INTRODUCTION = """
## Foreword

On behalf of the Northshire and Eastmoor Youth Justice Management Board, I am pleased to
present our Youth Justice Plan for April {start} to March {end}. It sets out how Northshire
Council, Eastmoor Council, Northshire Police, the Probation Service and the Northshire
Integrated Care Board will work together, through the Northshire Youth Justice Service, to keep
children safe, to prevent offending and to help the children we work with build a future they
are proud of.

The last two years have asked a great deal of our staff and of the children and families they
support. Demand for help with emotional wellbeing and speech and language has grown, more
children have been drawn into exploitation across the two areas, and several grants we rely on
are still made a year at a time. Despite this, the partnership has kept diversion at the heart
of its work, opened the weekly joint decision-making panel with Northshire Police and built a
stronger bail support offer at court.

This plan builds on that work. It was shaped by what children and their families told us, by
our National Standards self-assessment, by the recommendations of our last inspection by HM
Inspectorate of Probation and by a development day for board members and staff. The board will
review it every year and report progress to the Northshire and Eastmoor Safeguarding Children
Partnership and to both councils.

**Priya Nandra, Director of Children's Services, Northshire Council, Chair of the board**

## Our local area

The service works across two local authorities. Northshire is mostly urban, centred on
Northtown, Norbridge and Hallfield; Eastmoor is rural and coastal, with the market towns of
Eastby and Moorend and long journeys between them. Two area teams (North and South), a
prevention team and a court team work from bases in Northtown and Eastby, and practitioners
meet children at home, at school or wherever the child feels most comfortable.

## Our vision

Every child in Northshire and Eastmoor is safe, supported and given the chance to thrive, and as
few children as possible enter the youth justice system.

## Our strategy

- Prevent offending through early help, Turnaround and diversion
- Work with children as children, building on their strengths and interests
- Reduce reoffending and the use of remand and custody
- Understand and tackle the over-representation of Black and mixed heritage boys and children
  in care
- Put right the harm caused to victims through restorative justice
"""

CHILD_FIRST = """
The board and the service have adopted the Youth Justice Board's Child First principle. It
means we see the children we work with as children first: young people with rights, needs and
potential, most of whom will stop offending as they grow up if they are given the right
support. The four parts of Child First shape how we work.

## As children

- Assessments consider each child's age, maturity, speech and language and any experience of
  trauma before any decision is made about them.
- Letters, plans and reports are written to the child, in words the child understands, and
  avoid labels: no document of ours describes a child by their offence.
- The CAMHS practitioner and the speech and language therapist, both provided by the
  Northshire Integrated Care Board, screen every child starting a court order.

## Building a pro-social identity

- Plans start from what the child is good at and wants to do, whether that is football,
  music, cooking or getting a first job.
- Practitioners link children with local clubs, Northshire College taster courses and
  volunteering, so that children can see themselves as more than their offence.
- Achievements are celebrated: certificates, a letter from the Head of Youth Justice when an
  order ends well and an annual awards evening planned with children.

## Collaborating with children

- Children help write their own plans and are asked at every review whether the plan is
  working for them.
- Children from our participation group sit on interview panels for new staff and helped
  design the service's welcome pack.
- Parents and carers are offered Triple P and one-to-one support so that the whole family is
  part of the plan.

## Diverting from stigma

- The joint decision-making panel, our Child First panel, meets every week with Northshire
  Police and considers every child who admits an offence and could be dealt with outside
  court.
- Where it is safe, diversion and Outcome 22 are the default for a first offence, so that a
  child does not get a criminal record for a mistake.
- Turnaround offers help to children on the edge of the system before any formal outcome.

Over the life of this plan we will audit a sample of plans and reports each quarter against
these principles, and report what we find to the board alongside the children's own feedback
(see [[section:voice]]).
"""

VOICE = """
Children's views shape the service at every level: in their own plans, in how the service is
run and in the board's decisions. We ask every child three questions at the end of their work
with us: what did we do well, what could we do better, and is there anything else you want to
tell us? Children can answer on paper, online or by talking to someone who has not been their
worker. Parents and carers are asked the same questions.

Our participation group, Speak Up Northshire, meets every month in Northtown and Eastby. It is
run with the council's participation team and is open to any child who has worked with the
service, including children who have been diverted. Members are paid in vouchers for their
time. Twice a year the group meets the board, and board members have joined the group for a
session rather than the other way round.

*This is a demonstration plan: the quotes below are invented for it.*

> "My worker actually listened. She didn't just read out what I'd done wrong."

> "Having the meetings after school meant I didn't miss lessons and no one asked where I was
going."

> "The football sessions were the best bit. I'm helping coach the younger ones now."

> "I didn't understand the letter from court. Can someone explain it before, not after?"

## You said, we did

- **You said** appointments in school hours made you miss lessons and made people ask
  questions. **We did** move most appointments to after school or the holidays.
- **You said** letters from us and from court were hard to understand. **We did** rewrite our
  letters with Speak Up Northshire and now explain every court letter in person.
- **You said** you wanted more to do in Eastmoor. **We did** start a weekly sports session in
  Moorend with a local boxing club.
- **You said** you wanted help with getting a job. **We did** arrange taster days at Northshire
  College and with local employers.

In the next year we want to hear more from girls, from children in care and from children who
were remanded or sentenced to custody, whose voices are quieter in our feedback so far.
"""

GOVERNANCE = """
The Northshire and Eastmoor Youth Justice Management Board oversees the service on behalf of
both councils. It is chaired by Priya Nandra, Director of Children's Services at Northshire
Council, with Chief Superintendent Rachel Moss of Northshire Police as deputy chair. Members
are senior leaders from the five statutory sectors and from community safety; their names,
roles and attendance are in [[appendix:board_membership]].

The board meets every quarter. At each meeting it:

- receives a performance report on the national and local indicators, with the finance
  position and the action plan's progress
- reviews every remand and custodial sentence since the last meeting, and what could have
  been done differently
- hears from a practitioner or a child about one piece of work, so that members stay close to
  practice
- holds each partner to account for the actions it leads in [[appendix:action_plan]]

Three groups report to the board: a performance and quality group, an education and youth
justice group chaired by the Head of Inclusion, and a disproportionality working group. Each
has terms of reference agreed by the board and reports at every meeting.

The service sits within Northshire Council's Children's Services. The Head of Youth Justice,
Sam Patel, is responsible for day-to-day leadership and reports to the Director of Children's
Services. Eastmoor Council contributes to the budget and to the board through its Head of
Community Safety. The structure of the service is shown in [[appendix:service_structure]].

The board links with the partnerships that share its concerns. The chair and the Head of Youth
Justice sit on the Northshire and Eastmoor Safeguarding Children Partnership, the Corporate
Parenting Board and the Local Criminal Justice Board. The Head of Community Safety links the
board with the two Community Safety Partnerships and the serious violence duty partnership.
In the latest quarter, senior partners represented [[kpi:kpi7/senior_sectors]] of the five
statutory sectors at the board.
"""

BOARD_DEVELOPMENT = """
Board members know that a board is only as good as its understanding of the children the
service works with. Over the last year the board has worked on that understanding as well as
on its processes.

## Over the last year the board has

- held a development session on disproportionality, led by the disproportionality working
  group, and agreed that each partner will bring its own data on ethnicity to the board twice
  a year
- visited the service's bases in Northtown and Eastby and observed a joint decision-making
  panel and a referral order panel
- met Speak Up Northshire, who told members what the service is like from a child's point of
  view
- given every new member an induction with the Head of Youth Justice, covering the national
  KPIs, National Standards and the board's duties
- reviewed its terms of reference and membership, adding the Head of Inclusion as a member

## Over the next two years the board will

- review its own effectiveness each year using the Youth Justice Board's self-assessment tool
- agree a deputy for every member so that each statutory sector is represented at every
  meeting
- hold one themed meeting a year, starting with education and then with children in care
- make sure every partner's data on ethnicity reaches the board, so that the board can see
  where over-representation starts
"""

PREVIOUS_PLAN = """
Our plan for April {previous_start} to March {start} had six aims: fewer first time entrants,
less reoffending, better education outcomes, an understanding of disproportionality, fewer
remands and good resettlement. The table below shows each action in that plan and the rating
the board gave it at the end of the plan.

## What went well

- The joint decision-making panel with Northshire Police now meets every week, and every
  eligible child is considered for diversion.
- Turnaround is offered to every eligible child and is delivered jointly with early help.
- Plans are reviewed with children at three months, and practitioners tell us this has made
  plans more realistic.
- A bail support package is offered at first appearance whenever remand is being considered.

## What did not go as far as we wanted

- The protocol for school-age children not in full-time education was agreed late, and the
  education and youth justice group is still embedding it with schools.
- Ethnicity data reached the board from some partners but not all.
- Vacancies among seconded staff slowed work on the reoffending tracker.

Unfinished actions have been carried into this plan, with new dates and owners, and are in
[[appendix:action_plan]]. Outcomes for children against the national indicators are discussed
in [[section:kpis]].
"""

RESOURCES = """
The service is funded by the Youth Justice Board grant and by contributions from the partners,
in cash and in kind, set out in table B5 below. Northshire Council hosts the service and makes
the largest contribution; Eastmoor Council contributes through a partnership agreement that is
reviewed every three years.

Partners also second staff into the service:

- Northshire Police: police officers who support the joint decision-making panel and deliver
  out-of-court disposals
- the Probation Service: a probation officer who supports children moving to adult services
- Northshire Integrated Care Board: a CAMHS practitioner, a speech and language therapist and
  a nurse
- Eastmoor Council: a community safety officer based with the South team

Short-term grants fund some of our work, listed below with their end dates. Turnaround, from
the Ministry of Justice, pays for early intervention with children on the edge of the system,
and serious violence duty funding from the Home Office pays for a contextual safeguarding
worker. Both are granted a year at a time, which makes it hard to keep experienced staff; the
board treats this as a risk (see [[section:risks]]).

With these resources the partnership delivers:

- prevention and Turnaround, with early help in both council areas
- the joint decision-making panel and out-of-court disposals
- a court service at Northshire Youth Court and Eastmoor Youth Court, including bail support
- supervision of community sentences and support for children in custody and on release
- restorative justice and work with victims
- an appropriate adult service for children detained in police custody
- parenting support, including Triple P

The board receives the finance position every quarter. Where spending runs ahead of the budget,
the Head of Youth Justice brings a plan to bring it back into line.
"""

PERFORMANCE = """
The board monitors performance every quarter through a report prepared by the service's
performance analyst. The report covers the national key performance indicators, the local
targets in this plan and a set of measures the board watches without a target, so that it can
see demand and how children's journeys through the system are changing.

## Local targets

The board sets local targets for first time entrants, suitable accommodation and suitable
education, training and employment. Each target has three bands, shown in the table below.
Each band includes its lower bound and excludes its upper bound. A red rating for two quarters
in a row means the lead partner brings a recovery plan to the next meeting.

## Measures without a target

- the number of children considered by the joint decision-making panel and the decisions made
- referral order panels held within 20 working days of the order
- the time from offence to outcome, at court and out of court
- remands to youth detention accommodation and their length
- children in care and care leavers known to the service
- parenting support offered and taken up

## Data quality

Figures come from the service's case management system and are checked each month by team
managers before they are reported. Where a small number of children would make a figure
identifiable, it is not shown. The board has asked for the reoffending tracker to give an
earlier view of reoffending than the national data, which is published more than a year after
the event.
"""

KPIS = """
The tables and charts below come from the performance engine's results for the latest
quarter, with published comparators where they have been imported. This commentary picks out
what the board has discussed.

## First time entrants

Our first time entrant rate was [[kpi:fte/fte_rate]] per 100,000 children aged 10 to 17, with
[[kpi:fte/fte_count]] children receiving their first caution or conviction. The board looks
at this alongside the number of children diverted by the joint decision-making panel, because
a child diverted there is not a first time entrant.

## Reoffending and custody

In the latest aggregated 12-month cohort, [[kpi:reoffending/binary_12m]] of children
reoffended. There were [[kpi:custody/custody_count]] custodial sentences in the last 12
months. The board reviews every custodial sentence and every remand.

## Accommodation, education and wider needs

- Children in suitable accommodation at the end of their order: [[kpi:kpi1/suitable_end]]
- Children in suitable education, training or employment at the end of their order:
  [[kpi:kpi2/suitable_end]]
- Children with special educational needs who have a formal plan: [[kpi:kpi3/formal_plan]]
- Children with a mental health need in treatment or offered an intervention: [[kpi:kpi4]]

The education and youth justice group looks at every child of school age who is not in
full-time education, because the education figure is the one the board most wants to move.

## Out-of-court work, board attendance, violence and victims

- Out-of-court disposal interventions completed successfully: [[kpi:kpi6/completed]]
- Statutory sectors represented by a senior partner at the board: [[kpi:kpi7/senior_sectors]]
- Serious violence offences in the period: [[kpi:kpi9/sv_count]]
- Victims who were asked for their views: [[kpi:kpi10/view_sought]]

Some figures are marked because the numbers are too small to show safely, or because no child
was in the group this quarter. The board reads those quarters alongside the trend charts rather
than on their own.
"""

PRIORITIES_INTRO = """
Our priorities follow the areas the Youth Justice Board asks every plan to address. We chose
what to do in each area from four sources: what children and families told us (see
[[section:voice]]), our last inspection, the National Standards self-assessment and a
development day in which board members, managers and practitioners looked at the data
together.

Each priority below says what we will do and who leads it. The actions, owners and dates are in
[[appendix:action_plan]], and the board tracks progress on them every quarter. Where an area
needs more than one partner, such as serious violence or resettlement, a board member is named
as the lead so that the whole partnership is accountable, not only the service.

Three threads run through every priority: seeing children as children, hearing their views and
understanding why some groups of children are more likely than others to be drawn into the
system. The board will ask about all three whenever a priority is reported.
"""

STANDARDS = """
The service completed its self-assessment against the National Standards for Children in the
Youth Justice System in the spring. Managers and practitioners audited a sample of cases
against each standard, and the board validated the ratings at a meeting set aside for it.

The ratings are shown in the table below.

- **Out-of-court disposals** and **in the community** were rated good. Decisions at the joint
  decision-making panel were well recorded and plans were written with children.
- **In secure settings** was rated good. Children in custody were visited regularly and their
  families kept informed.
- **At court** requires improvement. Bail support was not always offered at the first hearing,
  and children did not always have the court process explained to them beforehand.
- **On transition and resettlement** requires improvement. Planning for children moving to
  adult services started too late, and accommodation for children leaving custody was not
  always found in time.

The actions that follow from the self-assessment are in [[appendix:action_plan]]. They include
a bail support package at first appearance, the constructive resettlement checklist for every
child in custody and an earlier transition meeting with the Probation Service. The
performance and quality group will re-audit the two standards that require improvement within
the year and report the results to the board.
"""

WORKFORCE = """
The service's strength is its people: practitioners from social work, youth work, policing,
probation, health and education, supported by sessional workers and volunteers. The staffing
table (B8) is in [[appendix:staffing]].

Every member of staff has a training plan agreed in supervision, which takes place at least
monthly. Practitioners also meet every six weeks in reflective practice groups, led by the
CAMHS practitioner, to think about the children they find hardest to reach.

## This year's training programme

- trauma-informed practice, delivered with the Northshire Integrated Care Board
- AssetPlus quality: assessments that explain the child, not only list risks
- child criminal exploitation and contextual safeguarding
- speech, language and communication needs, and writing for children
- restorative practice for all staff
- anti-racist practice and unconscious bias, linked to our disproportionality priority
- pre-sentence report writing for court staff

## Volunteers

Referral order panel members are trained when they join and meet every quarter for refresher
sessions. We want our volunteers to reflect the communities children come from, and will
recruit in Eastby and Moorend where we have fewest panel members.

## Students and new staff

The service hosts social work and youth work students from the local university every year.
New staff have an induction with a named mentor and shadow each part of the service in their
first month.

Staff are asked each year how well supported they feel. Last year they asked for more time to
work directly with children and less time on recording; the service is reviewing its recording
templates with practitioners in response.
"""

EVIDENCE = """
The partnership wants to do what works for children and to find out whether what it does is
working. Our practice draws on the research the Youth Justice Board and HM Inspectorate of
Probation publish, and we test new work before making it part of the service.

## Evidence we use

- **Diversion**: the joint decision-making panel follows the evidence that keeping children
  out of the formal system, where it is safe, reduces later offending.
- **Triple P**: an evidence-based parenting programme, delivered by trained practitioners to
  parents and carers of children on the edge of the system.
- **Restorative justice**: victims are offered a meeting, a letter or another way of having
  their say, and children take part in reparation that means something to the community.
- **Trauma-informed practice**: case formulation with the CAMHS practitioner for children with
  the most complex needs.

## New work we are testing

- A diversion evaluation with the local university, which follows children diverted by the
  panel and asks them and their families what helped.
- A weekly sports and mentoring session in Moorend with a local boxing club, asked for by
  children in Eastmoor.
- Turnaround referrals straight from schools, as well as from the police, to reach children
  earlier.

## How we evaluate

Each new piece of work has an evaluation plan before it starts, saying what would count as
success and how children's views will be gathered. Findings are reported to the performance
and quality group and to the board, and shared with other youth justice services in the region.
The university's first report on diversion is due in the first year of this plan and will shape
how the panel works in the second.
"""

SERVICE_DEVELOPMENT = """
The service development plan brings together what the partnership must improve and what it
wants to build. It responds to:

- the recommendations of our last inspection by HM Inspectorate of Probation, on joint
  decision-making and on decisions for Black and mixed heritage boys
- the National Standards self-assessment (see [[section:standards]])
- the board's priorities and the actions carried over from the previous plan
- what children and families told us

## What we will develop

- **Fewer first time entrants**: a weekly joint decision-making panel and Turnaround for every
  eligible child
- **Less reoffending**: plans reviewed with children at three months and a reoffending tracker
  for open cases
- **Better education outcomes**: a protocol with schools for children not in full-time
  education
- **Disproportionality understood**: every partner's ethnicity data at the board and an audit
  of panel decisions
- **Fewer remands**: a bail support package at first appearance
- **Good resettlement**: the constructive resettlement checklist for every child in custody

The summary below shows each action's rating today. The full plan, with owners, dates and
measures, is in [[appendix:action_plan]]. The Head of Youth Justice reviews it with managers
every month, and the board every quarter.
"""

RISKS = """
The board reviews challenges, risks and issues at every meeting. The register below gives each
risk's likelihood, impact, owner and mitigation; a risk scoring high on both is discussed
first.

The main risks for this plan are short-term funding, vacancies among seconded staff, rising
serious violence among older children and disruption to reporting while the case management
system is upgraded. The greatest challenge is finding suitable accommodation for children
leaving custody, which depends on partners beyond the service; the board has asked the Head of
Children's Social Care to report on it at every meeting until it improves.

New risks can be raised by any member of staff through their manager, and by any board member
at a meeting. The Head of Youth Justice keeps the register up to date between meetings.
"""

NARRATIVE = {
    key: _markdown(text)
    for key, text in {
        "introduction": INTRODUCTION,
        "child_first": CHILD_FIRST,
        "voice": VOICE,
        "governance": GOVERNANCE,
        "board_development": BOARD_DEVELOPMENT,
        "previous_plan": PREVIOUS_PLAN,
        "resources": RESOURCES,
        "performance": PERFORMANCE,
        "kpis": KPIS,
        "priorities": PRIORITIES_INTRO,
        "standards": STANDARDS,
        "workforce": WORKFORCE,
        "evidence": EVIDENCE,
        "service_development": SERVICE_DEVELOPMENT,
        "risks": RISKS,
    }.items()
}

_PRIORITIES = (
    (
        "OVER_REPRESENTED",
        """
        Black and mixed heritage boys, and children in care, are over-represented among the
        children we work with compared with the 10 to 17 population of Northshire and Eastmoor.
        The disproportionality working group will follow these children's journeys from
        arrest to outcome to find where the difference starts.

        - Every decision for a Black or mixed heritage boy at the joint decision-making panel
          is reviewed by a manager who was not at the panel.
        - Each partner brings its own data on ethnicity to the board twice a year.
        - Under the Northshire protocol for children in care, behaviour in a children's home
          that would be handled without the police in a family home is handled the same way.
        - Staff complete anti-racist practice training, and the group hears from children and
          families about their experience of the system.
        """,
    ),
    (
        "PREVENTION",
        """
        Prevention is help for children who have not offended but whose circumstances put them
        at risk, offered with their agreement and without a criminal justice label. The
        prevention team works alongside early help in both councils and takes referrals from
        schools, Northshire Police and children's social care.

        - A single referral route for schools, so that a worried teacher gets an answer within
          five working days.
        - Triple P and one-to-one support for parents and carers.
        - Activities in the school holidays, when referrals to the police rise, planned with
          youth services in Northtown and Eastby.

        The board will judge prevention by whether children referred stay out of the system,
        not by the number of referrals.
        """,
    ),
    (
        "DIVERSION",
        """
        Where a child admits an offence and it is safe to do so, we divert them from the formal
        system. The joint decision-making panel meets every week with Northshire Police and
        considers every child who could be dealt with outside court.

        - Turnaround and Outcome 22 are offered to every eligible child.
        - Diversion plans are short, written with the child and focused on what the child wants
          to achieve.
        - The diversion evaluation with the local university will tell us which parts of the
          offer make a difference, and for whom.
        - Police and service managers review a sample of panel decisions each quarter to check
          they are consistent.
        """,
    ),
    (
        "EDUCATION",
        """
        Education is where the board most wants to see change. Too many children we work with
        are excluded, on part-time timetables or not in education, training or employment after
        16. The education worker tracks every child of school age who is not in full-time
        education and raises each one with the school and the Head of Inclusion.

        - A protocol with schools in both council areas for children not in full-time
          education.
        - Speech and language screening shared with schools, with the family's agreement.
        - Taster days and apprenticeship places with Northshire College and local employers for
          children over 16.
        """,
    ),
    (
        "RESTORATIVE",
        """
        Every identified victim is contacted and offered restorative justice, in line with the
        Victims' Code. Victims choose how much to take part: a meeting, a letter, a say in the
        reparation or simply information about what happened next.

        - Reparation projects are chosen with local communities, such as the community garden
          in Norbridge and the beach clean in Eastby.
        - Victim safety is part of every plan, and children's plans say how the harm they
          caused is being put right.
        - Restorative practice training for all staff, so that restorative conversations are
          part of everyday work.
        """,
    ),
    (
        "SERIOUS_VIOLENCE",
        """
        Serious violence among older children has grown, and more children in both areas are
        exploited to carry drugs and money. The service works with the serious violence duty
        partnership and Northshire Police on a contextual safeguarding approach, which looks at
        the places and groups where children are harmed as well as at the child.

        - The contextual safeguarding worker maps places of concern with schools and community
          safety teams.
        - Children at risk of exploitation are discussed at the weekly exploitation meeting,
          and are treated as victims as well as children who have offended.
        - Knife crime education in schools, delivered with youth workers rather than only by
          the police.
        """,
    ),
    (
        "POLICE_CUSTODY",
        """
        Children should spend as little time as possible in police custody, and never overnight
        if they could be released. The appropriate adult service, run by trained volunteers,
        attends within two hours of a request.

        - Northshire Police notify children's social care whenever a child is held overnight, so
          that alternative accommodation can be sought.
        - The board reviews quarterly data on children held in custody, including their
          ethnicity.
        - Child-friendly information for children in custody, written with Speak Up
          Northshire.
        - Joint training for custody staff and appropriate adults on children's rights and on
          speech and language needs.

        The service will ask children about their time in custody at their first meeting with
        their worker, and share what they say with Northshire Police.
        """,
    ),
    (
        "REMANDS",
        """
        Remand to youth detention accommodation should be a last resort. The court team offers
        a bail support package at first appearance whenever remand is being considered, and
        reviews every remand with the child's social worker within a week.

        - Intensive bail support, with daily contact at first, agreed with Northshire Police and
          the courts.
        - Remand foster placements sought with Northshire Council and Eastmoor Council
          placement teams.
        - The board reviews every remand, including the child's ethnicity and care status, to
          learn whether it could have been avoided.

        Children on remand are visited within the first week, and their education and health
        needs are passed to the secure setting on the day they arrive.
        """,
    ),
    (
        "CUSTODY",
        """
        Custody is for the few children whose offences are so serious that no other sentence
        is possible. Every pre-sentence report proposes a robust community alternative where
        one is safe, and explains the child's circumstances to the court.

        - Court staff are trained in report writing, and managers quality assure every report
          proposing or at risk of custody.
        - Intensive community programmes are offered as an alternative, including education and
          mentoring.
        - The board reviews every custodial sentence, including the child's ethnicity and care
          status, and asks whether a community sentence could have been proposed.

        Sentencers are invited to visit the service each year to see the community
        programmes for themselves, through the Northshire and Eastmoor youth court user group.
        """,
    ),
    (
        "RESETTLEMENT",
        """
        Resettlement planning starts on the day a child enters custody, not in the weeks before
        release. We follow the constructive resettlement approach: helping the child shift their
        identity towards a positive future, with support that starts before release and carries
        on after it.

        - The constructive resettlement checklist for every child in custody.
        - Accommodation agreed at least a month before release, through the joint protocol with
          housing.
        - Education, training or work arranged for the day after release.
        - A planned handover to the Probation Service for children who turn 18 in custody.
        """,
    ),
)

PRIORITIES = tuple((area, _markdown(text)) for area, text in _PRIORITIES)
