"""Authoring: importing questions, duplicating and moving them, and making teachers."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..interchange import ImportProblem, ParsedQuestion
from ..models import Bank, Choice, Passage, Question, Quiz
from ..models.bank import WEIGHT_MAX, WEIGHT_MIN, new_question_ref
from ..roles import TEACHERS
from ..validation import choice_problems
from .errors import ConfirmationNeeded, NotPublishable


@transaction.atomic
def teacher_create(*, username: str, password: str, email: str = "") -> User:
    """A staff account in the Teachers group; raises ValidationError for a bad
    username or password, or one already taken."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The username %(name)s is already taken.") % {"name": username})
    user = User(username=username, email=email, is_staff=True)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=TEACHERS))
    return user


@transaction.atomic
def question_duplicate(*, question: Question) -> Question:
    """A copy with its choices, unpublished, under a new reference."""
    choices = list(question.choices.all())
    copy = Question.objects.get(pk=question.pk)
    copy.pk = None
    copy.ref = new_question_ref()
    copy.published = False
    copy.save()
    Choice.objects.bulk_create(
        Choice(question=copy, text=c.text, credit=c.credit, position=c.position, match=c.match)
        for c in choices
    )
    return copy


@transaction.atomic
def questions_move(*, questions: Iterable[Question], bank: Bank) -> int:
    return Question.objects.filter(pk__in=[q.pk for q in questions]).update(bank=bank)


def bank_named(name: str) -> Bank:
    """The bank with this name, or a new one (last in the list) with a free slug."""
    found = Bank.objects.filter(name=name).first()
    if found:
        return found
    base = slugify(name)[:90] or "bank"
    slug, n = base, 1
    while Bank.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    last = Bank.objects.order_by("-position").values_list("position", flat=True).first() or 0
    return Bank.objects.create(name=name, slug=slug, position=last + 1)


def _check_parsed(parsed: ParsedQuestion) -> None:
    line = parsed.line
    if len(parsed.prompt) > 10000:
        raise ImportProblem(line, _("The question text is longer than 10,000 characters."))
    texts = [c.text for c in parsed.choices]
    if len(set(texts)) != len(texts):
        raise ImportProblem(line, _("Two answers of this question have the same text."))
    options = [c.as_option(i) for i, c in enumerate(parsed.choices)]
    problems = choice_problems(parsed.kind, options)
    if problems:
        raise ImportProblem(line, " ".join(problems))
    if parsed.difficulty is not None and parsed.difficulty not in Question.Difficulty.values:
        raise ImportProblem(line, _("The difficulty must be 1, 2 or 3."))
    if parsed.weight is not None and not WEIGHT_MIN <= parsed.weight <= WEIGHT_MAX:
        raise ImportProblem(
            line,
            _("The weight must be between %(min)d and %(max)d.")
            % {"min": WEIGHT_MIN, "max": WEIGHT_MAX},
        )


@transaction.atomic
def questions_import(
    *,
    parsed: Sequence[ParsedQuestion],
    bank: Bank | None = None,
    bank_name: str = "",
    passage: Passage | None = None,
) -> list[Question]:
    """Store parsed questions, all or none: the first problem raises an
    ImportProblem naming its line and rolls everything back. They arrive as
    drafts; one without an explanation is flagged as needing one.

    A question goes to the bank its file names ($CATEGORY, made if new), else
    to `bank` (or the bank called `bank_name`, made if new); it cites the
    passage its file names, else `passage`."""
    created: list[Question] = []
    refs: set[str] = set()
    banks: dict[str, Bank] = {}
    for item in parsed:
        _check_parsed(item)
        line = item.line
        if item.bank:
            if item.bank not in banks:
                banks[item.bank] = bank_named(item.bank)
            target = banks[item.bank]
        elif bank is not None:
            target = bank
        elif bank_name:
            bank = target = bank_named(bank_name)
        else:
            raise ImportProblem(line, _("No bank: add a $CATEGORY line or choose a bank."))
        cited = passage
        if item.passage is not None:
            source, number = item.passage
            cited = Passage.objects.filter(source__slug=source, number=number).first()
            if cited is None:
                raise ImportProblem(
                    line,
                    _("There is no paragraph %(number)d in the source “%(source)s”.")
                    % {"number": number, "source": source},
                )
        if cited is None:
            raise ImportProblem(line, _("No passage: name one in the file or choose one."))
        ref = slugify(item.ref)[:80] or new_question_ref()
        if ref in refs or Question.objects.filter(ref=ref).exists():
            raise ImportProblem(
                line, _("A question with the reference “%(ref)s” already exists.") % {"ref": ref}
            )
        refs.add(ref)
        question = Question.objects.create(
            ref=ref,
            bank=target,
            kind=item.kind,
            prompt=item.prompt,
            explanation=item.explanation,
            passage=cited,
            difficulty=item.difficulty or Question.Difficulty.RECALL,
            weight=item.weight or 1,
            exact_answer=item.exact_answer,
            # Imports are drafts, unless the file is our own export of a published
            # question; a question without an explanation is a draft whatever it says.
            published=bool(item.published) and bool(item.explanation),
        )
        Choice.objects.bulk_create(
            Choice(
                question=question,
                text=c.text,
                credit=c.credit,
                position=c.position,
                match=c.match,
            )
            for c in item.choices
        )
        created.append(question)
    return created


def quizzes_affected(*, questions: Iterable[Question], now: datetime) -> list[Quiz]:
    """The running quizzes (assigned and not yet due, or being sat) that draw from
    the banks of these questions: publishing into them changes what students meet."""
    banks = {q.bank_id for q in questions}
    return list(Quiz.objects.running(now).filter(banks__in=banks).distinct())


@transaction.atomic
def questions_publish(
    *, questions: Sequence[Question], confirmed: bool = False, now: datetime | None = None
) -> int:
    """Publish drafts, all or none. Refuses one without an explanation or a passage,
    and, unless `confirmed`, publishing into a bank a running quiz draws from."""
    now = now or timezone.now()
    for question in questions:
        problems = question.publish_problems()
        if problems:
            raise NotPublishable(
                _("“%(question)s” cannot be published yet. %(problems)s")
                % {"question": question, "problems": " ".join(problems)}
            )
    drafts = [q for q in questions if not q.published]
    if not confirmed:
        running = quizzes_affected(questions=drafts, now=now)
        if running:
            raise ConfirmationNeeded(
                ngettext(
                    "The quiz %(quizzes)s is running and draws from this bank: confirm to publish.",
                    "The quizzes %(quizzes)s are running and draw from these banks: "
                    "confirm to publish.",
                    len(running),
                )
                % {"quizzes": ", ".join(f"“{quiz}”" for quiz in running)}
            )
    return Question.objects.filter(pk__in=[q.pk for q in drafts]).update(published=True)


@transaction.atomic
def question_choices_set(*, question: Question, choices: Sequence[Choice]) -> None:
    """Make the question's choices these, in place: a choice whose id is one of the
    question's updates that row, one without an id is added, and the rest are
    deleted. Attempts refer to choices by id, so edited choices keep theirs."""
    existing = {c.pk: c for c in question.choices.all()}
    kept = [c for c in choices if c.pk in existing]
    question.choices.exclude(pk__in=[c.pk for c in kept]).delete()
    # Texts are unique per question: two rows swapping texts would clash half-way,
    # so kept rows first take a text no row can have (not a NUL: PostgreSQL
    # refuses it in text columns).
    marker = uuid.uuid4().hex
    for choice in kept:
        Choice.objects.filter(pk=choice.pk).update(text=f"{marker}-{choice.pk}")
    for choice in kept:
        Choice.objects.filter(pk=choice.pk).update(
            text=choice.text, credit=choice.credit, position=choice.position, match=choice.match
        )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            text=c.text,
            credit=c.credit,
            position=c.position,
            match=c.match,
        )
        for c in choices
        if c.pk not in existing
    )
