"""Run the KPI engine on Spark (``yj kpi --engine spark``; needs the ``[spark]`` extra).

The engine talks to its database through a handful of DuckDB connection calls (``execute``
with ``?`` parameters, ``SET VARIABLE``, ``DESCRIBE``, ``fetchall``/``fetchone``).
``SparkConnection`` answers the same calls from a SparkSession, translating every statement with
``yjs.performance.portable``, so the engine's own code - windows, parameters, the aggregation of
membership rows, rounding, suppression, RRI - is the same for both engines and only the SQL
execution differs.

The snapshot is validated and normalised once by the DuckDB loader (the same gate as for
DuckDB, so both engines read identical rows) and written as Parquet, one folder per table, which
Spark reads as the ``raw`` database. On a cluster the snapshot writer would put those folders on
object storage and Spark would read them there (docs/scaling.md).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path

from yjs.performance.loader import LoadedDataset
from yjs.performance.portable import Translator

# Small local settings: start fast on a laptop or CI, 2 cores.
LOCAL_CONF = {
    "spark.master": "local[2]",
    "spark.app.name": "yjs-kpi",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
    "spark.log.level": "ERROR",
}


def local_session(conf: dict | None = None):
    """A local-mode SparkSession with small settings (``conf`` overrides them)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for key, value in {**LOCAL_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class _Result:
    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None


_SET_VARIABLE = re.compile(r"^\s*SET\s+VARIABLE\s+(\w+)\s*=\s*\?\s*;?\s*$", re.I)
_DESCRIBE = re.compile(r"^\s*DESCRIBE\s*\((.*)\)\s*;?\s*$", re.I | re.S)


class SparkConnection:
    """The DuckDB connection calls the engine makes, answered by Spark."""

    def __init__(self, spark):
        self.spark = spark
        self.variables: dict = {}
        self.translator = Translator()

    def execute(self, sql: str, params: list | None = None) -> _Result:
        if m := _SET_VARIABLE.match(sql):
            self.variables[m.group(1)] = (params or [None])[0]
            return _Result([])
        if m := _DESCRIBE.match(sql):
            (query,) = self.translator.translate(m.group(1), self.variables, params)
            schema = self.spark.sql(query).schema
            return _Result([(f.name, f.dataType.simpleString()) for f in schema.fields])
        rows: list[tuple] = []
        for stmt in self.translator.translate(sql, self.variables, params):
            rows = [tuple(r) for r in self.spark.sql(stmt).collect()]
        return _Result(rows)

    def close(self) -> None:
        """Free the cached tables of this run (the session stays up for the next one)."""
        self.spark.catalog.clearCache()


def _export(dataset: LoadedDataset, folder: Path) -> dict[str, Path]:
    """Every raw.* and ref_* table of the loaded dataset as Parquet, one folder per table."""
    con = dataset.con
    tables = con.execute(  # in memory, or in the kept copy a restored dataset reads in place
        "SELECT database_name, schema_name, table_name FROM duckdb_tables() "
        "WHERE schema_name = 'raw' OR (schema_name = 'main' AND table_name LIKE 'ref\\_%' "
        "ESCAPE '\\')").fetchall()
    out = {}
    for database, schema, name in tables:
        target = folder / schema / name
        target.mkdir(parents=True)
        qualified = f"{schema}.{name}"
        con.execute(f"COPY {database}.{qualified} TO '{target / 'part-0.parquet'}' "
                    "(FORMAT parquet)")
        out[qualified] = target
    return out


def attach(dataset: LoadedDataset, spark, workdir: str | Path | None = None) -> LoadedDataset:
    """The same dataset with Spark as its connection: the engine runs unchanged on it.

    ``workdir`` holds the Parquet Spark reads (default: a new temporary folder).
    """
    folder = Path(workdir or tempfile.mkdtemp(prefix="yjs-spark-"))
    spark.sql("CREATE DATABASE IF NOT EXISTS raw")
    for qualified, path in _export(dataset, folder).items():
        schema, name = qualified.split(".")
        if schema == "raw":
            spark.sql(f"DROP TABLE IF EXISTS raw.{name}")
            spark.sql(f"CREATE TABLE raw.{name} USING parquet LOCATION '{path}'")
        else:
            spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS "
                      f"SELECT * FROM parquet.`{path}`")
    return replace(dataset, con=SparkConnection(spark))
