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

import copy
import datetime
import operator
import weakref

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
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
        self._by_connection = weakref.WeakKeyDictionary()

    def _converters(self, connection) -> tuple:
        """A compiler and the columns' converters for this connection (each thread has its
        own), worked out once: they depend only on the columns and the database."""
        found = self._by_connection.get(connection)
        if found is None:
            compiler = self.query.get_compiler(connection=connection)
            compiler.select = self.select
            found = compiler, compiler.get_converters([s[0] for s in self.select])
            self._by_connection[connection] = found
        return found

    def once(self, parent) -> list:
        """The rows, read only if the parent's prefetch cache does not hold them yet: the parts
        of a page that show the same records (a section and its timeline entries) share one
        read."""
        cache = getattr(parent, "_prefetched_objects_cache", {})
        if self.accessor in cache:
            return list(cache[self.accessor])
        return self.read(parent)

    def read(self, parent) -> list:
        """Read the rows and put them in `parent`'s prefetch cache; returns them."""
        connection = connections[DEFAULT_DB_ALIAS]  # this thread's connection
        params = [parent.pk if p == _THE_PARENT else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler, converters = self._converters(connection)
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
            prefetch_nested(objects, self.nested)
        fill_prefetch_cache(parent, self.accessor, objects)
        return objects


def prefetch_nested(objects: list, lookups) -> None:
    """`prefetch_related_objects(objects, *lookups)`, with each lookup that is one relation
    named as it is (`"panels"`, `"offences"`) read by a `NestedRead`, compiled once."""
    rest = []
    for lookup in lookups:
        read = _nested_read(type(objects[0]), lookup)
        if read is None or any(type(o) is not read.parent_model for o in objects):
            rest.append(lookup)
            continue
        try:
            read.read(objects)
        except _Refused:  # its SQL for so many parents could not be compiled once: as before
            rest.append(lookup)
    if rest:
        prefetch_related_objects(objects, *rest)


_nested_reads: dict[tuple, NestedRead | None] = {}


def _nested_read(parent_model, lookup) -> NestedRead | None:
    key = (parent_model, lookup)
    if key not in _nested_reads:
        try:
            _nested_reads[key] = NestedRead(parent_model, lookup)
        except (TypeError, ValueError, FieldDoesNotExist):
            _nested_reads[key] = None
    return _nested_reads[key]


class _Refused(Exception):
    pass


class NestedRead:
    """One relation of many parents (each intervention's panels, each outcome's offences), as
    `prefetch_related_objects(parents, accessor)` reads it: the query its prefetcher builds,
    compiled once per number of parents (`CompiledQuery`), and each parent's prefetch cache
    filled with its rows in the query's order. A reverse foreign key or a many-to-many field
    named as it is; anything else is left to Django (TypeError)."""

    def __init__(self, parent_model, accessor):
        if not isinstance(accessor, str) or LOOKUP_SEP in accessor:
            raise TypeError(f"{accessor!r}: not one relation named as it is")
        self.parent_model, self.accessor = parent_model, accessor
        descriptor = getattr(parent_model, accessor, None)
        if isinstance(descriptor, ManyToManyDescriptor):
            manager_cls = descriptor.related_manager_cls

            def build(ids):
                parents = [parent_model(pk=i) for i in ids]
                return manager_cls(parents[0]).get_prefetch_querysets(parents)[0]

            if manager_cls(parent_model(pk=_THE_PARENT)).prefetch_cache_name != accessor:
                raise TypeError(f"{accessor}: its prefetch is kept under another name")
            fk = descriptor.through._meta.get_field(
                descriptor.field.m2m_field_name()
                if not descriptor.reverse
                else descriptor.field.m2m_reverse_field_name()
            )
            (column,) = fk.local_related_fields
            self.key_of = operator.attrgetter(f"_prefetch_related_val_{column.attname}")
            self.field = None
            ((_, to),) = fk.related_fields  # what each parent's manager filters on
            forward = not descriptor.reverse
            query_name = descriptor.field.related_query_name() if forward else descriptor.field.name
            model = descriptor.rel.related_model if descriptor.reverse else descriptor.rel.model
            self.many_to_many = model._default_manager, f"{query_name}__{to.name}", to.attname
        elif type(descriptor) is ReverseManyToOneDescriptor:
            relation = descriptor.rel
            if isinstance(relation, OneToOneRel) or not relation.field.many_to_one:
                raise TypeError(f"{accessor}: not a reverse foreign key")
            if relation.field.target_field.attname != parent_model._meta.pk.attname:
                raise TypeError(f"{accessor}: not to the parent's primary key")
            self.field = field = relation.field
            default = relation.related_model._default_manager

            def build(ids):
                return default.get_queryset().filter(**{f"{field.name}__in": ids})

            self.key_of = operator.attrgetter(field.attname)
        else:
            raise TypeError(f"{accessor}: not a reverse foreign key nor a many-to-many field")
        self.compiled = CompiledQuery(build, list)

    def read(self, parents: list) -> None:
        by_id = {}
        for p in parents:
            by_id.setdefault(p.pk, p)
        try:
            found = self.compiled(list(by_id))
        except ValueError as e:  # before anything is filled
            raise _Refused from e
        rows: dict = {}
        for obj in found:
            if self.field is not None and not self.field.is_cached(obj):
                self.field.set_cached_value(obj, by_id[self.key_of(obj)])  # obj.<fk>, no query
            rows.setdefault(self.key_of(obj), []).append(obj)
        for p in parents:
            if self.field is None and self.accessor not in getattr(
                p, "_prefetched_objects_cache", {}
            ):
                qs = self._many_to_many_queryset(p)
                qs._result_cache, qs._prefetch_done = rows.get(p.pk, []), True
                if not hasattr(p, "_prefetched_objects_cache"):
                    p._prefetched_objects_cache = {}
                p._prefetched_objects_cache[self.accessor] = qs
            else:
                fill_prefetch_cache(p, self.accessor, rows.get(p.pk, []))

    def _many_to_many_queryset(self, parent) -> QuerySet:
        """`parent.<accessor>.all()` of a many-to-many field not read yet, as its manager builds
        it (`get_queryset`, `_apply_rel_filters`: the default manager's queryset, the parent
        as hint, the filter on it deferred and sticky) without making the manager."""
        manager, key, attname = self.many_to_many
        qs = manager.get_queryset()
        qs._add_hints(instance=parent)
        qs._query.filter_is_sticky = True
        qs._deferred_filter = False, (), {key: getattr(parent, attname)}
        return qs


def known_to_have_none(parent, accessor: str) -> bool:
    """The page already found the parent has no `accessor` records (its prefetch cache holds
    an empty list): a read of them for this parent alone can be left out."""
    cached = getattr(parent, "_prefetched_objects_cache", {}).get(accessor)
    return cached is not None and cached._result_cache == []


def fill_prefetch_cache(parent, accessor: str, objects: list) -> None:
    """What `prefetch_related_objects` leaves behind: `parent.<accessor>.all()` is `objects`."""
    if accessor in getattr(parent, "_prefetched_objects_cache", {}):
        qs: QuerySet = getattr(parent, accessor).all()  # the cached one, as before
    else:
        qs = _related_queryset(parent, accessor)
    qs._result_cache, qs._prefetch_done = objects, True
    if not hasattr(parent, "_prefetched_objects_cache"):
        parent._prefetched_objects_cache = {}
    parent._prefetched_objects_cache[accessor] = qs


_reverse_foreign_keys: dict[tuple, object] = {}


def _related_queryset(parent, accessor: str) -> QuerySet:
    """`parent.<accessor>.all()` for a reverse foreign key not read yet, built as its related
    manager builds it (`get_queryset`, `_apply_rel_filters`: the default manager's queryset,
    the parent as hint and known related object, the filter on the parent deferred) without
    making the manager and the queryset it then copies: a record page makes forty of them.
    Any other relation is asked of its manager."""
    key = (type(parent), accessor)
    found = _reverse_foreign_keys.get(key)
    if found is None:
        try:
            relation = type(parent)._meta.get_field(accessor)
        except FieldDoesNotExist:
            relation = None
        plain = isinstance(relation, ManyToOneRel) and not isinstance(relation, OneToOneRel)
        plain = plain and relation.field.many_to_one and accessor == relation.get_accessor_name()
        plain = plain and relation.field.target_field.attname == type(parent)._meta.pk.attname
        found = (relation.field, relation.related_model) if plain else ()
        _reverse_foreign_keys[key] = found
    if not found or parent.pk is None:
        return getattr(parent, accessor).all()
    field, model = found
    qs = model._default_manager.get_queryset()
    qs._add_hints(instance=parent)
    qs._deferred_filter = False, (), {field.name: parent}
    qs._known_related_objects = {field: {parent.pk: parent}}
    return qs


# Any query built from a few values ---------------------------------------------------------

# Stand-ins for the arguments while the SQL is built: two sets, so that a value the SQL took
# from somewhere else (a date worked out from the argument, the clock) shows up as a parameter
# that changed without being one of them, and is refused.
_STAND_INS = {
    int: (-917_000_001, -918_000_001),
    datetime.date: (datetime.date(1901, 2, 3), datetime.date(1902, 4, 6)),
}
_MAX_SHAPES = 32  # lists of so many different lengths, compiled at once at most
_MAX_ITEMS = 100_000  # items of a list argument (its stand-ins must not meet the next's)


class CompiledQuery:
    """A queryset that `build` makes from its arguments, compiled to SQL once per process (per
    length of each list argument) and then run with the arguments substituted.

    `build` must put each argument into the query as it is (`child_id=child_id`,
    `child_id__in=ids`, `date__lte=on`), depend on nothing else, and give the whole query:
    what it returns cannot be changed further (`.filter()`, `.count()`: TypeError). `types`
    says each argument's type, `int` or `datetime.date`, or `list` for a list of ints.
    """

    def __init__(self, build, *types):
        self.build, self.types = build, types
        self._shapes: dict[tuple, _Shape] = {}

    def __call__(self, *args) -> QuerySet:
        if any(t is list and not a for t, a in zip(self.types, args, strict=True)):
            return self.build(*args)  # an empty list: nothing to compile (no SQL at all)
        key = tuple(len(a) if t is list else 0 for t, a in zip(self.types, args, strict=True))
        shape = self._shapes.get(key)
        if shape is None:
            if len(self._shapes) >= _MAX_SHAPES:
                self._shapes.clear()
            shape = self._shapes[key] = _Shape(self.build, self.types, key)
        return shape.queryset(args)


class _Shape:
    """The query compiled for one length of each list argument."""

    def __init__(self, build, types, lengths):
        def stand_ins(which: int) -> list:
            """Each argument its own values (and each item of a list its own)."""
            values = []
            for arg, (t, n) in enumerate(zip(types, lengths, strict=True)):
                base = _STAND_INS[int if t is list else t][which]
                if t is datetime.date:
                    values.append(base + datetime.timedelta(arg))
                elif t is list:
                    values.append([base - arg * _MAX_ITEMS - k for k in range(n)])
                else:
                    values.append(base - arg * _MAX_ITEMS)
            return values

        if any(n >= _MAX_ITEMS for n in lengths):
            raise ValueError(f"a list of {_MAX_ITEMS} items or more")

        first, second = stand_ins(0), stand_ins(1)
        self.template = build(*first)
        compiler = self.template.query.get_compiler(using=DEFAULT_DB_ALIAS)
        self.sql, params = compiler.as_sql()
        other_sql, other_params = build(*second).query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
        if other_sql != self.sql or len(other_params) != len(params):
            raise ValueError("the query's SQL depends on its arguments' values")
        self.params = list(params)
        self.slots = []  # (position, argument, index in a list or None, as stored)
        used = set()
        for position, (p, q) in enumerate(zip(params, other_params, strict=True)):
            if p == q:
                continue
            slot = _slot(p, q, first, second)
            if slot is None:
                raise ValueError(f"parameter {position} is not an argument as it was given")
            self.slots.append((position, *slot))
            used.add(slot[0])
        if len(used) != len(types):
            raise ValueError("an argument is not in the query as it was given")
        self.compiler = compiler  # with what reading the rows needs (select, converters)

    def queryset(self, args) -> QuerySet:
        params = list(self.params)
        for position, arg, index, as_stored in self.slots:
            value = args[arg] if index is None else args[arg][index]
            params[position] = as_stored(value)
        # A new queryset like the one built (not copy.copy: a QuerySet's pickling state is
        # its rows, so copying it would run the query with the stand-ins).
        qs = object.__new__(type(self.template))
        qs.__dict__ = {
            **self.template.__dict__,
            "_result_cache": None,
            "_prefetch_done": False,
            "_query": _Bound(self, tuple(params)),
        }
        return qs


def _slot(p, q, first, second):
    """Which argument (and list index) parameter values `p` and `q` stand for, and how the
    database takes it (as it is, or as text: SQLite's dates)."""
    for arg, (a, b) in enumerate(zip(first, second, strict=True)):
        pairs = list(enumerate(zip(a, b, strict=True))) if isinstance(a, list) else [(None, (a, b))]
        for index, (x, y) in pairs:
            if (p, q) == (x, y):
                return arg, index, _as_is
            if (p, q) == (str(x), str(y)):
                return arg, index, str
    return None


def _as_is(value):
    return value


class _Bound:
    """The query built once, with one call's parameters: compiles to the SQL built once."""

    def __init__(self, shape: _Shape, params: tuple):
        self._shape, self._params = shape, params

    def __getattr__(self, name):
        """What reading the rows looks up (`values_select`...); never a method, which would
        run the query as built, with the stand-ins (`get_count`, `has_results`)."""
        value = getattr(self._shape.template.query, name)
        if callable(value):
            raise TypeError(f"a compiled query runs as it was built: no {name}()")
        return value

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self._shape.compiler)
        compiler.connection = connection or connections[using or DEFAULT_DB_ALIAS]
        sql, params = self._shape.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def chain(self, klass=None):
        raise TypeError("a compiled query runs as it was built: build it with what it needs")

    clone = chain
