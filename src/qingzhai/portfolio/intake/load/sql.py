"""Inserting many new rows into a model's table without model instances: a multi-row INSERT ... RETURNING
on SQLite, COPY on PostgreSQL (far cheaper than INSERT there), with primary keys drawn from the table's
sequence first. Values are converted for the database once per column type and distinct value."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

from qingzhai.core.clock import now

# Column types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
_NOW = object()  # stands for the time of the insert (auto_now and auto_now_add columns)
SQLITE_CACHE_KIB = 64 * 1024


@contextmanager
def large_page_cache() -> Iterator[None]:
    """On SQLite, a page cache of SQLITE_CACHE_KIB for the block: with the default 2 MB, inserting into
    the blind-index B-trees (random keys) of a large table reads the same pages again and again. The
    connection's own setting comes back afterwards. Elsewhere nothing changes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous):d}")


def _stamped(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


class Table:
    """The rows for `model` are tuples of the values of `fields` (attribute names, `case_id` for a
    foreign key) in that order; every other column gets its default, as a new model instance would (the
    time of the insert for auto_now columns)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        meta = model._meta
        columns = [f for f in meta.concrete_fields if not f.primary_key]
        by_name = {f.attname: f for f in columns}
        unknown = [name for name in fields if name not in by_name]
        if unknown:
            raise ValueError(f"{meta.label} has no columns {unknown}")
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.fields = tuple(fields)
        self.given = [by_name[name] for name in fields]
        self.rest = [f for f in columns if f.attname not in self.fields]
        varying = [f.attname for f in self.rest if f.has_default() and callable(f.default)]
        if varying:  # one value per row would be needed: the caller gives these
            raise ValueError(f"{meta.label}: give the columns with callable defaults {varying}")
        self._rest_defaults = [_NOW if _stamped(f) else f.get_default() for f in self.rest]
        self.defaults = {f.attname: d for f, d in zip(self.rest, self._rest_defaults, strict=True)}

    def default(self, name: str) -> Any:
        """The value a column not among `fields` gets (not for auto_now columns)."""
        return self.defaults[name]

    def insert(self, rows: Sequence[tuple[Any, ...]], *, returning: bool = True) -> list[int]:
        """Insert the rows; their new primary keys in the same order (empty when not `returning`)."""
        if not rows:
            return []
        moment = now()
        converters = [_Converter(f) for f in self.given]
        rest = [
            _Converter(f).prep(moment if d is _NOW else d)
            for f, d in zip(self.rest, self._rest_defaults, strict=True)
        ]
        convert = [(i, c) for i, c in enumerate(converters) if not c.plain]
        prepared: list[tuple[Any, ...]] = []
        for row in rows:
            if convert:
                values = list(row)
                for i, conv in convert:
                    values[i] = conv.prep(values[i])
                prepared.append((*values, *rest))
            else:
                prepared.append((*row, *rest))
        columns = [f.column for f in self.given] + [f.column for f in self.rest]
        if connection.vendor == "postgresql":
            return self._copy(prepared, columns, returning=returning)
        return self._insert(prepared, columns, returning=returning)

    def _insert(self, rows: list[tuple[Any, ...]], columns: list[str], *, returning: bool) -> list[int]:
        quote = connection.ops.quote_name
        head = f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in columns)}) VALUES "
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        with connection.cursor() as cursor:
            if not returning:
                cursor.executemany(head + marks, rows)
                return []
            max_params = connection.features.max_query_params or 30000
            per_statement = max(1, min(1000, max_params // len(columns)))
            tail = f" RETURNING {quote(self.pk_column)}"
            ids: list[int] = []
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                params = [value for row in chunk for value in row]
                cursor.execute(head + ", ".join([marks] * len(chunk)) + tail, params)
                ids.extend(pk for (pk,) in cursor.fetchall())
        return ids

    def _copy(self, rows: list[tuple[Any, ...]], columns: list[str], *, returning: bool) -> list[int]:
        quote = connection.ops.quote_name
        ids: list[int] = []
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.pk_column, len(rows)],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                columns = [self.pk_column, *columns]
            sql = f"COPY {quote(self.table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                if returning:
                    for pk, row in zip(ids, rows, strict=True):
                        copy.write_row((pk, *row))
                else:
                    for row in rows:
                        copy.write_row(row)
        return ids


def analyze(*models: type[models.Model]) -> None:
    """PostgreSQL: refresh the planner's statistics of the tables after a large load (as its manual
    advises). Without them it guesses: the next import's lookups (by contract number, blind index,
    debtor) walk whole tables instead of using the indexes. SQLite plans them well without statistics."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(m._meta.db_table) for m in models)}")


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]], **same: Any
) -> None:
    """Set different values on many rows at once: each row is (primary key, *values of `fields`); the
    keyword arguments are set alike on all of them. One UPDATE ... FROM (VALUES ...) per 500 rows."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    by_name = {f.attname: f for f in meta.concrete_fields}
    converters = [_Converter(meta.pk), *(_Converter(by_name[name]) for name in fields)]
    sets = [f"{quote(by_name[name].column)} = v.column{i}" for i, name in enumerate(fields, start=2)]
    sets += [f"{quote(by_name[name].column)} = %s" for name in same]
    constants = [_Converter(by_name[name]).prep(value) for name, value in same.items()]
    marks = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params = list(constants)
            for row in chunk:
                params.extend(conv.prep(value) for conv, value in zip(converters, row, strict=True))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(sets)} FROM (VALUES {', '.join([marks] * len(chunk))}) AS v "
                f"WHERE {table}.{pk} = v.column1",
                params,
            )


class _Converter:
    """A column's values as the database takes them; each distinct value is converted once."""

    def __init__(self, field: models.Field) -> None:
        self.field = field
        self.plain = field.get_internal_type() in _PLAIN_TYPES
        self._seen: dict[Any, Any] = {}

    def prep(self, value: Any) -> Any:
        if self.plain:
            return value
        try:
            return self._seen[value]
        except KeyError:
            converted = self._seen[value] = self.field.get_db_prep_save(value, connection)
            return converted
        except TypeError:  # an unhashable value (JSON): converted every time
            return self.field.get_db_prep_save(value, connection)
