"""Model instances read by one fixed SQL statement, for the hottest pages.

The ORM builds a query's SQL anew on every call. For the question page's read
of an item with its attempt, quiz and question (54 columns, three joins) that
took ten times as long as SQLite took to run it (bench/README.md). A
`FixedRead` writes its SELECT list once per connection and converts every column
the way the ORM does (the database's converters, then the field's own, as
`from_db_value`), so it returns the same instances the ORM would.
"""

from weakref import WeakKeyDictionary

from django.db import connection, connections, models

# The range of the integer columns (ids, positions): a value past it matches no
# row, and SQLite's driver raises OverflowError instead of comparing it.
_INT_RANGE = range(-(2**63), 2**63)


def fits_integer_column(*values: int) -> bool:
    return all(value in _INT_RANGE for value in values)


class FixedRead:
    """`SELECT <every column of each model> <tail>`, giving one instance per model
    and row. `tail` names each model's table as {ModelName}, with the alias given."""

    def __init__(self, tables: list[tuple[type[models.Model], str]], tail: str) -> None:
        self.tables = tables
        self.tail = tail
        # Per connection (one a thread), as the converters are bound to it.
        self._plans: WeakKeyDictionary = WeakKeyDictionary()

    def _plan(self) -> tuple[str, list]:
        """The statement and, per model, its field names and column converters;
        built once per connection."""
        wrapper = connections[connection.alias]
        plan = self._plans.get(wrapper)
        if plan is None:
            quote = wrapper.ops.quote_name
            columns, models_plan = [], []
            for model, alias in self.tables:
                fields = model._meta.concrete_fields
                converters = []
                for field in fields:
                    column = field.get_col(alias)
                    converters.append(
                        (
                            column,
                            wrapper.ops.get_db_converters(column)
                            + column.get_db_converters(wrapper),
                        )
                    )
                    columns.append(f"{alias}.{quote(field.column)}")
                models_plan.append((model, [f.attname for f in fields], converters))
            tables = {model.__name__: quote(model._meta.db_table) for model, _ in self.tables}
            sql = f"SELECT {', '.join(columns)} {self.tail.format(**tables)}"
            plan = self._plans[wrapper] = (sql, models_plan)
        return plan

    def first(self, params: list) -> list[models.Model] | None:
        """The instances of the first row, or None when there is no row."""
        sql, models_plan = self._plan()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else self._instances(row, models_plan)

    def all(self, params: list) -> list[list[models.Model]]:
        sql, models_plan = self._plan()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [self._instances(row, models_plan) for row in rows]

    @staticmethod
    def _instances(row: tuple, models_plan: list) -> list[models.Model]:
        instances, start = [], 0
        for model, names, converters in models_plan:
            values = list(row[start : start + len(names)])
            for i, (column, functions) in enumerate(converters):
                for convert in functions:
                    values[i] = convert(values[i], column, connection)
            instances.append(model.from_db(connection.alias, names, values))
            start += len(names)
        return instances
