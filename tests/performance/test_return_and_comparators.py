"""The quarterly return records its snapshot; comparator import is all or nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.performance.test_kpi01_accommodation import three_children
from yjs.performance.models import ComparatorFigure
from yjs.performance.selectors import comparators_for, kpi_results


def test_kpi_return_has_a_sheet_per_kpi_and_the_snapshot_hashes(dataset_dir, tmp_path):
    data = dataset_dir(**three_children(with_d=True))
    out = tmp_path / "return.xlsx"
    call_command("kpi_return", "--period", "2023-24Q2", "--data", str(data), "--out", str(out),
                 stdout=io.StringIO())
    wb = load_workbook(out)
    assert {"Summary", "kpi1", "kpi10", "fte", "Snapshot"} <= set(wb.sheetnames)
    kpi1 = [row for row in wb["kpi1"].iter_rows(values_only=True)
            if row[0] == "suitable_end" and row[2] == "all"][0]
    assert kpi1[4:7] == (2, 4, 50.0)
    snapshot = {row[0]: row[1] for row in wb["Snapshot"].iter_rows(values_only=True) if row}
    assert len(snapshot["children.csv"]) == 64  # SHA-256


def test_selectors_return_results_without_recomputing(dataset_dir):
    data = dataset_dir(**three_children(with_d=True))
    first = kpi_results("2023-24 Q2", data_dir=data)
    assert first.headline("kpi1").value == 50.0
    assert kpi_results("2023-24Q2", data_dir=data) is first  # cached while files are unchanged


def _csv(tmp_path, text):
    p = tmp_path / "comparators.csv"
    p.write_text(text)
    return str(p)


@pytest.mark.django_db
def test_import_comparators_all_or_nothing(tmp_path):
    good = _csv(tmp_path, "kpi,measure,period,comparator,value,rank,quartile,source\n"
                          "kpi1,suitable_end,2024-25Q1,NATIONAL,88.5,,,YJB\n"
                          "kpi1,,2024-25 Q1,FAMILY_GROUP,91.0,3,1,YJB\n")
    call_command("import_comparators", good, stdout=io.StringIO())
    assert ComparatorFigure.objects.count() == 2
    figures = comparators_for("2024-25 Q1")[("kpi1", "suitable_end")]
    assert float(figures["FAMILY_GROUP"].value) == 91.0 and figures["FAMILY_GROUP"].quartile == 1

    bad = _csv(tmp_path, "kpi,measure,period,comparator,value,rank,quartile,source\n"
                         "kpi2,,2024-25Q1,NATIONAL,70,,,YJB\n"
                         "kpi2,,2024-25Q1,COUNTY,70,,,YJB\n")
    with pytest.raises(CommandError, match=r"comparators.csv row 2 \(line 3\), "
                                           r"column 'comparator'"):
        call_command("import_comparators", bad)
    assert ComparatorFigure.objects.count() == 2  # the good first row was not imported either


@pytest.mark.django_db
def test_import_comparators_rejects_unknown_kpi_and_bad_quartile(tmp_path):
    bad = _csv(tmp_path, "kpi,measure,period,comparator,value,rank,quartile,source\n"
                         "kpi99,,2024-25Q1,NATIONAL,70,,,YJB\n"
                         "kpi1,,2024-25Q1,NATIONAL,x,,5,YJB\n")
    with pytest.raises(CommandError) as err:
        call_command("import_comparators", bad)
    assert "row 1 (line 2), column 'kpi': unknown KPI" in str(err.value)
    assert ComparatorFigure.objects.count() == 0
