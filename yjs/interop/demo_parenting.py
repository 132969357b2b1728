"""Parenting work in the Northshire demo (issue 11): voluntary parenting support (Triple P and
one-to-one work) for about one family in eight, a few parenting contracts alongside out-of-court
outcomes, and now and then a parenting order made with a court sentence (rare, as the seed plans
say: one service made none in five years).

Drawn from a random stream of its own, seeded by text so it can never coincide with another
stream's integer seed: the rest of the demo, and every pinned KPI figure, stays as it was.
"""

from __future__ import annotations

import datetime as dt
import random

from yjs import periods
from yjs.parenting.models import ParentingWork

D = dt.timedelta
K = ParentingWork.Kind
P = ParentingWork.Programme
R = ParentingWork.EndReason

VOLUNTARY_SHARE = 0.12
CONTRACT_SHARE = 0.04  # of out-of-court outcomes
ORDER_SHARE = 0.03  # of court sentences
COURT_SENTENCES = ("REFERRAL_ORDER", "YRO", "DTO", "REPARATION_ORDER")
OUT_OF_COURT = ("YOUTH_CAUTION", "YOUTH_CONDITIONAL_CAUTION", "COMMUNITY_RESOLUTION", "OUTCOME_22")
PROGRAMMES = {P.TRIPLE_P_GROUP: 4, P.TRIPLE_P_ONE_TO_ONE: 3, P.ONE_TO_ONE: 3, P.GROUP: 1}
WEEKS = {P.TRIPLE_P_GROUP: 8, P.TRIPLE_P_ONE_TO_ONE: 10, P.ONE_TO_ONE: 12, P.GROUP: 10}
CARERS = {
    "Mother": 6,
    "Father": 2,
    "Mother and father": 2,
    "Grandmother (kinship carer)": 1,
    "Foster carer": 1,
}
NOT_COMPLETED = {R.DISENGAGED: 5, R.MOVED: 1, R.OTHER: 1}


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class ParentingDemo:
    """Adds each demo child's parenting work to the generator's rows (see module doc)."""

    MODELS = (ParentingWork,)

    def __init__(self, gen, seed: int):
        self.gen = gen
        self.rng = random.Random(f"{seed}-parenting")
        self.today = gen.today

    def child(self, ctx):
        rng = self.rng
        for ep in ctx.episodes:
            outcome = ep.outcome
            if outcome is None:
                continue
            if outcome.code in COURT_SENTENCES and rng.random() < ORDER_SHARE:
                self.work(ctx, K.PARENTING_ORDER, outcome.outcome_date, court=outcome.court)
            elif outcome.code in OUT_OF_COURT and rng.random() < CONTRACT_SHARE:
                self.work(ctx, K.PARENTING_CONTRACT, outcome.outcome_date)
        if rng.random() < VOLUNTARY_SHARE:
            self.work(ctx, K.VOLUNTARY, ctx.entry)

    def work(self, ctx, kind: str, after: dt.date, court: str = ""):
        rng = self.rng
        start = after + D(days=rng.randint(7, 60))
        if start > self.today or start >= periods.add_months(ctx.dob, 12 * 18):
            return
        programme = _weighted(rng, PROGRAMMES)
        planned_end = start + D(weeks=WEEKS[programme] + rng.randint(0, 4))
        end = completed = None
        reason = ""
        if planned_end <= self.today:
            completed = rng.random() < 0.7
            reason = R.COMPLETED if completed else _weighted(rng, NOT_COMPLETED)
            end = planned_end if completed else start + D(days=rng.randint(14, 50))
        order = kind == K.PARENTING_ORDER
        self.gen.add(
            ParentingWork(
                child=ctx.child,
                kind=kind,
                programme=programme,
                parent_or_carer=_weighted(rng, CARERS),
                order_made_on=after if order else None,
                court=(court or "Northshire Youth Court") if order else "",
                start_date=start,
                planned_end_date=planned_end,
                end_date=end,
                completed_successfully=completed,
                end_reason=reason,
                worker=ctx.worker,
            )
        )
