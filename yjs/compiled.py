"""A query over one parent's rows, compiled to SQL once per process and run many times.

Django builds a query's SQL afresh every time it runs, and for a model of thirty columns with
a join or two that takes longer than PostgreSQL takes to answer it (about a millisecond of
CPU each). A page that reads one child's records of a dozen kinds pays that a dozen times per
request. `OneParentRead` compiles the query a prefetch would run for one parent
(`<fk>__in = (id)`, the same SQL, the same order) once, and then only substitutes the id, builds
the objects as Django's own iterator does, and fills the parent's prefetch cache exactly as
`prefetch_related_objects` would, so everything downstream reads `parent.<kind>.all()` as before.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.fields.reverse_related import ManyToOneRel, OneToOneRel
from django.db.models.query import get_related_populators

_THE_PARENT = -1  # stands for the parent's id in the SQL compiled once


class OneParentRead:
    """The rows of one reverse foreign key (`child.assessments`, with the lookup's queryset)
    for one parent, as a prefetch of that lookup would read them."""

    def __init__(self, parent_model, lookup: str | Prefetch):
        accessor = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        relation = parent_model._meta.get_field(accessor)
        if not isinstance(relation, ManyToOneRel) or isinstance(relation, OneToOneRel):
            raise TypeError(f"{accessor} is not a reverse foreign key")
        self.accessor, self.field = accessor, relation.field
        queryset = getattr(lookup, "queryset", None)
        if queryset is None:
            queryset = relation.related_model._default_manager.all()
        self.nested = queryset._prefetch_related_lookups
        queryset = queryset.prefetch_related(None).filter(
            **{f"{self.field.name}__in": [_THE_PARENT]}
        )
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        self.sql, self.params = compiler.as_sql()
        if self.params.count(_THE_PARENT) != 1:
            raise ValueError(f"{accessor}: the query has another parameter equal to the id")
        self.query = queryset.query
        self.select, self.klass_info = compiler.select, compiler.klass_info
        fields = self.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in self.select[self.start : self.end]]
        self.model = self.klass_info["model"]
        # Stateless once made: they only read the row's columns by position.
        self.populators = get_related_populators(self.klass_info, self.select, DEFAULT_DB_ALIAS)

    def read(self, parent) -> list:
        """Read the rows and put them in `parent`'s prefetch cache; returns them."""
        connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        params = [parent.pk if p == _THE_PARENT else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler = self.query.get_compiler(connection=connection)  # for converters only
        compiler.select = self.select
        converters = compiler.get_converters([s[0] for s in self.select])
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        objects = []
        for row in rows:
            obj = self.model.from_db(connection.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            self.field.set_cached_value(obj, parent)  # obj.child is the parent, no query
            objects.append(obj)
        if objects and self.nested:
            prefetch_related_objects(objects, *self.nested)
        fill_prefetch_cache(parent, self.accessor, objects)
        return objects


def fill_prefetch_cache(parent, accessor: str, objects: list) -> None:
    """What `prefetch_related_objects` leaves behind: `parent.<accessor>.all()` is `objects`."""
    qs: QuerySet = getattr(parent, accessor).all()
    qs._result_cache, qs._prefetch_done = objects, True
    if not hasattr(parent, "_prefetched_objects_cache"):
        parent._prefetched_objects_cache = {}
    parent._prefetched_objects_cache[accessor] = qs
