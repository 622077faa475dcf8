"""Writing a new attempt's items in one statement, so that a school pressing Start
together holds SQLite's write lock for as short a time as possible (bench/README.md)."""

from django.db import connection, models


class NewItemsMixin:
    """Methods of `AttemptItemQuerySet` (its manager has them too)."""

    model: type[models.Model]

    # What a start gives each new item; every other column takes its field's default.
    NEW_COLUMNS = ("question", "position", "choice_order", "option_order")

    def _insert_fields(self) -> list:
        """Every column of an item but its id and attempt, in the model's order."""
        meta = self.model._meta
        return [f for f in meta.concrete_fields if not f.primary_key and f.name != "attempt"]

    def prepare_new(self, rows: list[tuple[int, int, list[int], list[int]]]) -> list[tuple]:
        """The items of a new attempt, (question id, position, choice order, option
        order) each, as the database takes them: converted by each field as the ORM
        converts them (`get_db_prep_save`), the other columns at their defaults. Done
        before the start's transaction, so that on SQLite its write lock is held for
        the INSERT alone."""
        fields = self._insert_fields()
        given = [dict(zip(self.NEW_COLUMNS, row, strict=True)) for row in rows]
        return [
            tuple(
                field.get_db_prep_save(
                    values[field.name] if field.name in values else field.get_default(),
                    connection,
                )
                for field in fields
            )
            for values in given
        ]

    def insert_new(self, attempt_id: int, prepared: list[tuple]) -> None:
        """Insert the prepared items of a new attempt in one statement.

        Raw SQL, on purpose: `bulk_create` builds the same INSERT but converts the
        values and compiles the statement inside the transaction; a school pressing
        Start together waits on every other start's write lock (bench/README.md).
        The table and column names come from the model."""
        meta = self.model._meta
        quote = connection.ops.quote_name
        columns = [meta.get_field("attempt").column, *(f.column for f in self._insert_fields())]
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
        # SQLite takes a bounded number of parameters a statement (PostgreSQL: none).
        batch = (connection.features.max_query_params or 65535) // len(columns)
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), batch):
                chunk = prepared[start : start + batch]
                params = [value for item in chunk for value in (attempt_id, *item)]
                cursor.execute(into + ", ".join([row] * len(chunk)), params)
