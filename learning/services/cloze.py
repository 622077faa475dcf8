"""Cloze cards: for each passage of a source, short-answer questions that blank
out its key phrases, in a deck of their own ("Paragraph by paragraph"), studied
like any card with the whole paragraph on the back."""

from django.db import transaction
from django.db.models import Q

from .. import cloze
from ..models import Bank, Choice, Passage, Question, Source

Kind = Question.Kind
# After the banks the teacher orders: the deck comes last in every list.
DECK_POSITION = 1000


def _keys(passage: Passage) -> list[str]:
    """What the questions citing the passage name as their answers."""
    choices = Choice.objects.filter(
        Q(question__passage=passage) | Q(question__also_cites=passage),
        question__published=True,
    ).exclude(question__bank__slug__endswith="-paragraphs")
    keys = []
    for kind, text, credit, match in choices.values_list(
        "question__kind", "text", "credit", "match"
    ).distinct():
        if kind == Kind.MATCHING:
            keys.append(match)
        elif credit > 0 and kind != Kind.TRUE_FALSE and kind != Kind.ORDERING:
            keys.append(text)
    return keys


@transaction.atomic
def cloze_cards_build(*, source: Source, per_passage: int = 4) -> int:
    """Make (or bring up to date) the source's cloze cards; the number made or
    kept. Running it again changes nothing; a cloze no longer found in a changed
    paragraph is unpublished, never deleted (its cards keep their history)."""
    bank, _created = Bank.objects.get_or_create(
        slug=f"{source.slug[:88]}-paragraphs",
        defaults={
            "name": "Paragraph by paragraph",
            "description": f"Key phrases of each paragraph of {source.title}, blanked out.",
            "position": DECK_POSITION,
        },
    )
    kept = []
    for passage in source.passages.order_by("number"):
        for n, found in enumerate(cloze.clozes(passage.text, _keys(passage), per_passage), 1):
            question, _created = Question.objects.update_or_create(
                ref=f"cloze-{passage.pk}-{n}",
                defaults={
                    "bank": bank,
                    "kind": Kind.SHORT,
                    "prompt": found.front(passage.text),
                    "explanation": f"Paragraph {passage.number}.",
                    "passage": passage,
                    "published": True,
                },
            )
            question.choices.all().delete()
            Choice.objects.create(question=question, text=found.phrase, credit=1)
            kept.append(question.pk)
    bank.questions.exclude(pk__in=kept).update(published=False)
    return len(kept)
