from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from learning import services
from learning.ids import parse_id
from learning.interchange import FORMATS, ImportProblem, parser_for
from learning.models import Passage


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT, Moodle XML (.xml) or CSV (.csv) file, as drafts. "
        "Every question is stored, or none: an error names the line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--bank", default="", help="Bank name for questions the file puts in no category."
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="",
            help="The file's format, when its extension does not say (.xml, .csv; else GIFT).",
        )
        parser.add_argument(
            "--passage",
            default="",
            help="SOURCE/NUMBER of the passage cited by questions the file names none for.",
        )

    def handle(self, *args, file: Path, bank: str, passage: str, format: str, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        parser = parser_for(file.name, format)
        try:
            created = services.questions_import(
                parsed=parser.parse(text),
                bank_name=bank,
                passage=self._passage(passage),
            )
        except ImportProblem as problem:
            raise CommandError(f"{file}: {problem} Nothing was imported.") from problem
        unexplained = sum(1 for q in created if q.needs_explanation)
        message = ngettext(
            "%d question imported as a draft.", "%d questions imported as drafts.", len(created)
        ) % len(created)
        if unexplained:
            message += (
                " "
                + ngettext(
                    "%d needs an explanation before publishing.",
                    "%d need an explanation before publishing.",
                    unexplained,
                )
                % unexplained
            )
        self.stdout.write(self.style.SUCCESS(message))

    def _passage(self, value: str) -> Passage | None:
        if not value:
            return None
        source, _slash, number = value.rpartition("/")
        found = None
        if (parsed := parse_id(number)) is not None:
            found = Passage.objects.filter(source__slug=source, number=parsed).first()
        if found is None:
            raise CommandError(f"No passage {value}: give it as SOURCE/NUMBER.")
        return found
