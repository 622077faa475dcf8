from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from learning import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a file made by `backup`. Stop the "
        "site first; every account is logged out."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .sqlite3 or .json.gz backup.")
        parser.add_argument("--yes", action="store_true", help="Restore without asking.")

    def handle(self, *args, **options):
        path = options["file"]
        if not options["yes"]:
            name = connection.settings_dict["NAME"]
            question = (
                f"This replaces every row of the {connection.vendor} database {name} "
                f"with the contents of {path}. Type yes to go on: "
            )
            try:
                answer = input(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored. (Add --yes to skip the question.)")
        try:
            counts = backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {path}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
