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
