from django.core.management.base import BaseCommand, CommandError

from learning import services
from learning.models import Source


class Command(BaseCommand):
    help = (
        "Make the cloze cards of every source (or of the sources named): each paragraph's "
        "key phrases blanked out, in the deck “Paragraph by paragraph”. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="source slugs; all sources when none")

    def handle(self, *args, slugs: list[str], **options):
        sources = Source.objects.all()
        if slugs:
            sources = sources.filter(slug__in=slugs)
            missing = set(slugs) - set(sources.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No source with the slug {', '.join(sorted(missing))}.")
        for source in sources:
            made = services.cloze_cards_build(source=source)
            self.stdout.write(f"{source.slug}: {made} cloze cards.")
