"""Reading the one row a unique key names."""

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def one_or_none(rows: QuerySet[M]) -> M | None:
    """The row `rows` finds when its filter names at most one (a unique key), or
    None. Without the ORDER BY that `first()` adds: Django compiles that ordering on
    every call, a measurable share of the hottest pages (bench/README.md)."""
    return next(iter(rows.order_by()[:1]), None)


def one_raw(rows: QuerySet[M], where: str, params: list) -> M | None:
    """The row of `rows`' model that a fixed statement's WHERE names by a unique
    key, or None: `SELECT *` by raw(), whose model and converters are the ORM's.
    For the reads of every question and card page, where building the ORM's query
    took three times raw()'s whole read (bench/README.md, seventeenth round)."""
    sql = f"SELECT * FROM {rows.model._meta.db_table} WHERE {where}"
    return next(iter(rows.raw(sql, params)), None)
