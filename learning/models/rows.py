"""Reading the one row a unique key names."""

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def one_or_none(rows: QuerySet[M]) -> M | None:
    """The row `rows` finds when its filter names at most one (a unique key), or
    None. Without the ORDER BY that `first()` adds: Django compiles that ordering on
    every call, a measurable share of the hottest pages (bench/README.md)."""
    return next(iter(rows.order_by()[:1]), None)
