"""Issue 10: "a licence end date in the future is refused at sentence". Verified on this base:
`licence_end_date` is a planned date (casework services.PLANNED_DATES), so custody recorded on
the day of sentence keeps the licence end the sentence gives, however far ahead."""

import datetime

from tests.conftest import PASSWORD, date_fields
from yjs.casework import services
from yjs.casework.models import CustodyEpisode, Offence, Outcome


def test_a_future_licence_end_from_the_sentence_is_accepted(client, jay):
    today = services.today()
    offence = Offence.objects.create(
        child=jay,
        offence_date=today - datetime.timedelta(days=90),
        description="Robbery",
        category="ROBBERY",
        gravity_score=6,
    )
    dto = Outcome.objects.create(
        child=jay,
        code="DTO",
        outcome_date=today,
        length_months=24,
        appeal_status="NONE",
        residence="LOCAL",
    )
    dto.offences.set([offence])
    licence_end = today + datetime.timedelta(days=730)
    client.login(username="alice", password=PASSWORD)
    data = {
        "outcome": dto.pk,
        "establishment": "YOI",
        **date_fields("start_date", today),
        **date_fields("licence_end_date", licence_end),
    }
    assert client.post(f"/children/{jay.pk}/custody/new/", data).status_code == 302
    assert CustodyEpisode.objects.get().licence_end_date == licence_end
