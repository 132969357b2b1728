"""`yj synth` writes a loadable dataset on which every KPI runs."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yjs.performance.engine import KPIS, run


def test_synth_dataset_loads_and_every_kpi_runs(tmp_path):
    out = tmp_path / "synth"
    call_command("synth", "--children", "300", "--out", str(out), "--seed", "7",
                 stdout=io.StringIO())
    result = run(out, "2024-25Q1", kpis=None)
    assert {r.kpi for r in result.results} == {k.id for k in KPIS}
    assert result.headline("fte").numerator > 0
    assert result.headline("kpi1").denominator > 0
    with pytest.raises(CommandError, match="not empty"):
        call_command("synth", "--children", "10", "--out", str(out))



def test_synth_attendance_has_not_ended_after_its_as_at_date(tmp_path):
    """An intervention still being attended on the as-at date has no end date: an end date
    after it became "in the future" to the loader once the calendar reached it (the 1M
    benchmark dataset stopped loading in December 2026)."""
    import datetime as dt

    import duckdb

    from yjs.performance.synth import EPOCH, LAST_DAY

    out = tmp_path / "synth"
    call_command("synth", "--children", "3000", "--out", str(out), "--seed", "3",
                 stdout=io.StringIO())
    as_at = EPOCH + dt.timedelta(days=LAST_DAY)
    for name in ("mental_health", "substance_misuse"):
        latest, ended = duckdb.connect().execute(
            f"SELECT max(attended_end_date), count(attended_end_date) "
            f"FROM read_parquet('{out / name}.parquet')").fetchone()
        assert ended > 0 and latest <= as_at, (name, latest)
