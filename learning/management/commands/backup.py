from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from learning import backups


class Command(BaseCommand):
    help = (
        "Copy the whole database into a timestamped file in DATA_DIR/backups/ while the "
        "site runs, and delete all but the newest ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["sqlite3", "json"],
            help="sqlite3: SQLite's online backup (the default on SQLite); "
            "json: a gzipped dump that any database can restore (the default otherwise).",
        )
        parser.add_argument(
            "--keep", type=int, default=14, help="How many backups to keep (default 14)."
        )
        parser.add_argument(
            "--dir", type=Path, default=None, help="Where to write (default DATA_DIR/backups)."
        )

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        fmt = options["format"] or ("sqlite3" if connection.vendor == "sqlite" else "json")
        try:
            path, counts = backups.backup(
                fmt=fmt, directory=options["dir"] or backups.default_dir(), keep=options["keep"]
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {path}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
