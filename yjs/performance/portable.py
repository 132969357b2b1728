"""The KPI SQL, written for DuckDB, rewritten for Spark SQL with sqlglot.

The files in ``sql/`` are the one definition of every KPI. DuckDB runs them as they are; for a
distributed engine they are translated statement by statement, so national or regional data can
run the same SQL on a cluster without a second copy to keep in step. Besides sqlglot's own
DuckDB -> Spark rules, a few project rewrites make the dialect portable:

- macros (``CREATE MACRO``, scalar and table) are expanded inline where they are called;
- ``getvariable('x')`` and ``?`` parameters become literals (the engine sets them per run);
- ``LATERAL (SELECT unnest(list_of_structs, recursive := true))`` and ``LATERAL (VALUES ...)``
  over outer columns become Spark's ``inline(array(struct(...)))``;
- ``generate_series(a, b, step) g(x)`` and ``to_months(n)`` get their Spark equivalents;
- ``AS MATERIALIZED`` hints are dropped, and QUALIFY is kept (Spark 4 supports it).

Anything else DuckDB-only makes ``translate`` raise ``NotPortable``: the test that translates
every file is what keeps the SQL portable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp, transforms
from sqlglot.dialects.spark import Spark
from sqlglot.errors import ErrorLevel
from sqlglot.generators.spark import SparkGenerator


class NotPortable(ValueError):
    """A statement uses a construct the Spark translation cannot express."""


class Spark4(Spark):
    """Spark SQL 4: as sqlglot's Spark, but QUALIFY is written as it is (Spark 4 has it),
    rather than through a subquery that leaks a ``_w`` column into ``SELECT *``."""

    class Generator(SparkGenerator):
        TRANSFORMS = {
            **SparkGenerator.TRANSFORMS,
            exp.Select: transforms.preprocess([
                transforms.eliminate_distinct_on,
                transforms.unnest_to_explode,
                transforms.any_to_exists,
            ]),
        }


# Functions the rewrites below emit, which sqlglot has no node for.
_EMITTED = {"INLINE", "MAKE_YM_INTERVAL", "EXPLODE", "SEQUENCE"}


def literal(value) -> exp.Expression:
    """A Python value as a SQL literal of the type DuckDB's SET VARIABLE would give it."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


@dataclass
class Macro:
    params: list[str]
    body: exp.Expression
    table: bool  # a table macro (``AS TABLE``): called in FROM


@dataclass
class Translator:
    """Translates DuckDB statements to Spark ones, remembering the macros it has seen."""

    macros: dict[str, Macro] = field(default_factory=dict)

    def translate(self, sql: str, variables: dict | None = None,
                  params: list | None = None) -> list[str]:
        """Spark SQL for each statement of ``sql`` (macro definitions yield none)."""
        out = []
        for stmt in sqlglot.parse(sql, read="duckdb"):
            if stmt is None:
                continue
            if isinstance(stmt, exp.Create) and stmt.args.get("kind") == "MACRO":
                self._define(stmt)
                continue
            out.extend(self._statement(stmt, variables or {}, list(params or [])))
        return out

    def _define(self, stmt: exp.Create) -> None:
        udf = stmt.this
        props = stmt.args.get("properties")
        table = bool(props and any(isinstance(p, exp.ReturnsProperty) and p.args.get("is_table")
                                   for p in props.expressions))
        self.macros[udf.this.name.lower()] = Macro(
            [p.name for p in udf.expressions], stmt.expression, table)

    def _statement(self, stmt: exp.Expression, variables: dict, params: list) -> list[str]:
        stmt = stmt.transform(lambda n: _placeholder(n, params), copy=True)
        stmt = self._expand(stmt)
        stmt = stmt.transform(lambda n: _values(n, variables), copy=False)
        stmt = stmt.transform(_rewrite, copy=False)
        _check(stmt)
        if isinstance(stmt, exp.Create) and stmt.args.get("kind") == "TABLE":
            # a temp table is a cached temp view: computed once, read by every KPI
            name = stmt.this.sql(dialect=Spark4)
            query = stmt.expression.sql(dialect=Spark4, unsupported_level=ErrorLevel.RAISE)
            return [f"UNCACHE TABLE IF EXISTS {name}",
                    f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {query}",
                    f"CACHE TABLE {name}"]
        if isinstance(stmt, exp.Create) and stmt.args.get("kind") == "VIEW":
            stmt.set("replace", True)
        return [stmt.sql(dialect=Spark4, unsupported_level=ErrorLevel.RAISE)]

    def _expand(self, stmt: exp.Expression) -> exp.Expression:
        """Inline every macro call, repeatedly, since macro bodies call macros."""
        for _ in range(20):
            changed = False

            def inline(node):
                nonlocal changed
                if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
                    macro = self.macros.get(node.this.name.lower())
                    if macro and macro.table:
                        changed = True
                        body = _substitute(macro, node.this.expressions)
                        alias = node.alias or node.this.name
                        return exp.Subquery(this=body, alias=exp.TableAlias(
                            this=exp.to_identifier(alias)))
                if isinstance(node, exp.Anonymous):
                    macro = self.macros.get(node.name.lower())
                    if macro and not macro.table:
                        changed = True
                        return exp.Paren(this=_substitute(macro, node.expressions))
                return node

            stmt = stmt.transform(inline, copy=False)
            if not changed:
                return stmt
        raise NotPortable("macros nest too deeply (a macro calls itself?)")


def _substitute(macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    if len(args) != len(macro.params):
        raise NotPortable(f"macro called with {len(args)} arguments, expects "
                          f"{len(macro.params)}")
    values = dict(zip(macro.params, args, strict=True))

    def put(node):
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            arg = values[node.name].copy()
            return arg if isinstance(arg, exp.Column | exp.Literal) else exp.Paren(this=arg)
        return node

    return macro.body.copy().transform(put, copy=False)


def _placeholder(node, params: list):
    if isinstance(node, exp.Placeholder):
        if not params:
            raise NotPortable("more ? placeholders than parameters")
        return literal(params.pop(0))
    return node


def _is_recursive_unnest(node) -> bool:
    return isinstance(node, exp.Explode | exp.Unnest) and any(
        isinstance(a, exp.PropertyEQ | exp.Kwarg) and a.name.lower() == "recursive"
        for a in node.expressions)


def _values(node, variables: dict):
    """Variables become literals; to_months(n) an interval."""
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "getvariable":
            return literal(variables.get(node.expressions[0].name))
        if name == "to_months":
            return exp.Anonymous(this="MAKE_YM_INTERVAL",
                                 expressions=[exp.Literal.number(0), node.expressions[0]])
    return node


def _rewrite(node):
    """Spark's forms of DuckDB's table-valued constructs."""
    if _is_recursive_unnest(node):  # a list of structs, one row per struct
        return exp.Anonymous(this="INLINE", expressions=[node.this])
    if isinstance(node, exp.CTE) and node.args.get("materialized"):
        node.set("materialized", None)
    if isinstance(node, exp.Lateral) and isinstance(node.this, exp.Subquery) and isinstance(
            node.this.this, exp.Values):
        return _lateral_values(node)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries):
        return _series(node)
    return node


def _lateral_values(node: exp.Lateral) -> exp.Expression:
    """``LATERAL (VALUES (a, b), ...) m(x, y)`` -> ``LATERAL (SELECT inline(array(
    struct(a AS x, b AS y), ...))) m``: Spark's VALUES cannot read the outer row."""
    values = node.this.this
    alias = node.args.get("alias") or node.this.args.get("alias") or values.args.get("alias")
    columns = [c.name for c in alias.columns] if alias else []
    if not columns:
        raise NotPortable("LATERAL (VALUES ...) needs column names, e.g. AS m(measure, in_num)")
    structs = []
    for row in values.expressions:
        cells = row.expressions
        if len(cells) != len(columns):
            raise NotPortable(f"VALUES row {row.sql()} has {len(cells)} values for "
                              f"{len(columns)} columns")
        structs.append(exp.Struct(expressions=[
            exp.alias_(c.copy(), col) for c, col in zip(cells, columns, strict=True)]))
    select = exp.select(exp.Anonymous(this="INLINE", expressions=[
        exp.Array(expressions=structs)]))
    return exp.Lateral(this=exp.Subquery(this=select),
                       alias=exp.TableAlias(this=exp.to_identifier(alias.name)))


def _series(node: exp.Table) -> exp.Expression:
    """``generate_series(a, b, step) g(x)`` -> ``(SELECT explode(sequence(a, b, step)) AS x) g``."""
    alias = node.args.get("alias")
    if not alias or not alias.columns:
        raise NotPortable("generate_series needs a column alias, e.g. g(x)")
    col = alias.columns[0].name
    series = node.this
    if series.args.get("is_end_exclusive"):
        raise NotPortable("range() excludes its end; use generate_series")
    seq = exp.Anonymous(this="SEQUENCE", expressions=[
        series.args[k].copy() for k in ("start", "end", "step") if series.args.get(k)])
    select = exp.select(exp.alias_(exp.Anonymous(this="EXPLODE", expressions=[seq]), col))
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias.name)))


def _check(stmt: exp.Expression) -> None:
    """Raise ``NotPortable`` for what is left that Spark would not read the same way."""
    problems = []
    if not isinstance(stmt, exp.Query | exp.Create):
        problems.append(f"{stmt.key.upper()} statement")
    for node in stmt.walk():
        if isinstance(node, exp.Command):
            problems.append(f"unparsed statement {node.sql()[:60]!r}")
        elif isinstance(node, exp.Anonymous) and node.name.upper() not in _EMITTED:
            problems.append(f"function {node.name}() is not known to be portable")
        elif _is_recursive_unnest(node) or isinstance(node, exp.Unnest):
            problems.append("unnest() outside LATERAL (SELECT unnest(..., recursive := true))")
        elif isinstance(node, exp.Union) and node.args.get("by_name"):
            problems.append("UNION BY NAME (list the columns)")
        elif isinstance(node, exp.Values) and isinstance(node.parent, exp.Subquery) and any(
                isinstance(c, exp.Column) for c in node.find_all(exp.Column)):
            problems.append("VALUES reading columns outside LATERAL")
        elif isinstance(node, exp.Create) and node.args.get("kind") not in ("TABLE", "VIEW"):
            problems.append(f"CREATE {node.args.get('kind')}")
    if problems:
        raise NotPortable("; ".join(dict.fromkeys(problems)))
