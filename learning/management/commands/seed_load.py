"""Build the load bench's data set: a whole school with a history (bench/README.md).

The defaults are the issue's full size. Everything is drawn from one seeded
random generator, so the same seed gives the same rows; only the dates move,
because they are placed relative to the moment the command runs.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from learning import scoring
from learning.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    CardState,
    Choice,
    Classroom,
    Membership,
    Passage,
    Question,
    Quiz,
    Review,
    Source,
    StudySettings,
)
from learning.models.classrooms import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from learning.roles import TEACHERS

# Every seeded account has this password; it is hashed once, not once per account.
PASSWORD = "load-test-password"
# The exam the bench's synchronized start uses, and the long quiz its answer POSTs use.
EXAM_SLUG = "load-exam"
DRILL_SLUG = "load-drill"
EXAM_SIZE = 30
QUIZ_SIZE = 10
BATCH = 2000

Kind = Question.Kind
KINDS = list(Kind.values)


def _choices_for(kind: str, n: int) -> list[tuple[str, float, int | None, str]]:
    """(text, credit, position, match) of a question of this kind, as the admin would accept."""
    if kind == Kind.SINGLE:
        return [(f"Option {i} of {n}", 1.0 if i == 0 else 0.0, None, "") for i in range(4)]
    if kind == Kind.TRUE_FALSE:
        return [("True", 1.0, None, ""), ("False", 0.0, None, "")]
    if kind == Kind.MULTIPLE:
        return [(f"Option {i} of {n}", 0.5 if i < 2 else -0.5, None, "") for i in range(4)]
    if kind == Kind.SHORT:
        return [(f"answer {n}", 1.0, None, ""), (f"the answer {n}", 1.0, None, "")]
    if kind == Kind.ORDERING:
        return [(f"Step {i} of {n}", 0.0, i + 1, "") for i in range(4)]
    return [(f"Left {i} of {n}", 0.0, None, f"Right {i} of {n}") for i in range(3)]


def _response(kind: str, options: list[scoring.Option], right: bool, rng: random.Random) -> dict:
    """A response of the stored shape: the key when `right`, else a random guess."""
    ids = [o.id for o in options]
    if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
        return {"choice": ids[0] if right else rng.choice(ids[1:])}
    if kind == Kind.MULTIPLE:
        return {"choices": ids[:2] if right else rng.sample(ids, 2)}
    if kind == Kind.SHORT:
        return {"text": options[0].text if right else "no idea"}
    if kind == Kind.ORDERING:
        places = list(range(1, len(ids) + 1))
        if not right:
            rng.shuffle(places)
        return {"positions": {str(i): p for i, p in zip(ids, places, strict=True)}}
    matches = [o.match for o in options]
    if not right:
        rng.shuffle(matches)
    return {"matches": {str(i): m for i, m in zip(ids, matches, strict=True)}}


class Command(BaseCommand):
    help = (
        "Fill an empty database with a school for the load bench: classrooms of students, "
        "question banks, quizzes, finished attempts and flashcard reviews, reproducibly from "
        "--seed. Every account's password is '" + PASSWORD + "'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--classrooms", type=int, default=40)
        parser.add_argument("--students-per-class", type=int, default=50)
        parser.add_argument("--banks", type=int, default=20)
        parser.add_argument("--questions", type=int, default=2000)
        parser.add_argument("--quizzes", type=int, default=50)
        parser.add_argument("--attempts", type=int, default=100_000)
        parser.add_argument("--reviews", type=int, default=200_000)
        parser.add_argument(
            "--assignments",
            type=int,
            help="Assignments per class: the exam, then short quizzes (four, or every "
            "quiz but the drill when there are fewer).",
        )

    def handle(self, *args, **options):
        if options["questions"] < EXAM_SIZE or options["banks"] < 1 or options["quizzes"] < 3:
            raise CommandError(f"Seed at least {EXAM_SIZE} questions, one bank and three quizzes.")
        if options["assignments"] is None:
            options["assignments"] = min(4, options["quizzes"] - 1)
        if not 1 <= options["assignments"] <= options["quizzes"] - 1:
            raise CommandError("Assign between one quiz and every quiz but the drill.")
        if options["classrooms"] < 1 or options["students_per_class"] < 1:
            raise CommandError("Seed at least one classroom with one student.")
        if Quiz.objects.filter(slug=EXAM_SLUG).exists():
            raise CommandError("This database is seeded already; seed an empty one.")
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.now = timezone.now().replace(microsecond=0)
        # The history ends yesterday, so today's study limits start untouched.
        self.history_end = self.now - timedelta(days=1)
        with transaction.atomic():
            self._content(options["banks"], options["questions"], options["quizzes"])
            self._school(
                options["classrooms"], options["students_per_class"], options["assignments"]
            )
            self._attempts(options["attempts"])
            self._reviews(options["reviews"])
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(self.students)} students in {options['classrooms']} classes, "
                f"{len(self.questions)} questions in {options['banks']} banks, "
                f"{len(self.quizzes)} quizzes, {options['attempts']} finished attempts and "
                f"{options['reviews']} reviews in {took:.1f} s (seed {options['seed']})."
            )
        )

    def _content(self, bank_count: int, question_count: int, quiz_count: int) -> None:
        rng = self.rng
        source = Source.objects.create(title="Load test source", slug="load-source")
        passages = Passage.objects.bulk_create(
            Passage(source=source, number=n, text=f"Paragraph {n} of the load test source.")
            for n in range(1, 51)
        )
        banks = Bank.objects.bulk_create(
            Bank(name=f"Load bank {b + 1:02d}", slug=f"load-bank-{b + 1:02d}", position=100 + b)
            for b in range(bank_count)
        )
        questions = Question.objects.bulk_create(
            Question(
                ref=f"load-{n:05d}",
                bank=banks[n % bank_count],
                kind=KINDS[(n // bank_count) % len(KINDS)],
                prompt=f"Load question {n}: which is right?",
                explanation=f"Paragraph {1 + n % 50} says so.",
                passage=passages[n % 50],
                difficulty=1 + n % 3,
                published=True,
            )
            for n in range(question_count)
        )
        choices = Choice.objects.bulk_create(
            Choice(question=q, text=text, credit=credit, position=position, match=match)
            for n, q in enumerate(questions)
            for text, credit, position, match in _choices_for(q.kind, n)
        )
        self.options: dict[int, list[scoring.Option]] = {}
        for c in choices:
            self.options.setdefault(c.question_id, []).append(
                scoring.Option(c.id, c.text, c.credit, c.position, c.match)
            )
        self.questions = questions
        self.by_bank: dict[int, list[Question]] = {}
        for q in questions:
            self.by_bank.setdefault(q.bank_id, []).append(q)
        exam = Quiz.objects.create(
            title="Load exam",
            slug=EXAM_SLUG,
            question_count=EXAM_SIZE,
            time_limit=timedelta(minutes=60),
            attempts_allowed=1,
            feedback_timing=Quiz.FeedbackTiming.DEFERRED,
            published=True,
        )
        exam.banks.set(banks)
        drill = Quiz.objects.create(
            title="Load drill", slug=DRILL_SLUG, shuffle_questions=False, published=True
        )
        drill.banks.set(banks[:1])
        self.quizzes = [exam, drill]
        for n in range(2, quiz_count):
            quiz = Quiz.objects.create(
                title=f"Load quiz {n:02d}",
                slug=f"load-quiz-{n:02d}",
                question_count=QUIZ_SIZE,
                published=True,
            )
            quiz.banks.set(rng.sample(banks, min(len(banks), rng.randint(1, 3))))
            self.quizzes.append(quiz)
        # The finished history is at the short quizzes; the exam and drill start empty.
        self.history_quizzes = [
            (quiz, [q for b in quiz.banks.all() for q in self.by_bank.get(b.pk, [])])
            for quiz in self.quizzes[2:]
        ]

    def _school(self, classroom_count: int, per_class: int, assignment_count: int) -> None:
        rng = self.rng
        password = make_password(PASSWORD)
        teachers = User.objects.bulk_create(
            User(username=f"teacher{t + 1:03d}", password=password, is_staff=True)
            for t in range(classroom_count)
        )
        Group.objects.get(name=TEACHERS).user_set.add(*teachers)
        self.students = User.objects.bulk_create(
            User(username=f"student{s + 1:05d}", password=password)
            for s in range(classroom_count * per_class)
        )
        # No daily limits, so a saturation run never runs out of cards to rate.
        StudySettings.objects.bulk_create(
            StudySettings(user=s, new_per_day=500, reviews_per_day=9999) for s in self.students
        )
        codes: set[str] = set()
        while len(codes) < classroom_count:
            codes.add("".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)))
        classrooms = Classroom.objects.bulk_create(
            Classroom(
                name=f"Class {c + 1:02d}",
                teacher=teachers[c],
                join_code=code,
                code_expires_at=self.now + timedelta(days=14),
            )
            for c, code in enumerate(sorted(codes))
        )
        Membership.objects.bulk_create(
            Membership(classroom=classrooms[s // per_class], student=student, joined_at=self.now)
            for s, student in enumerate(self.students)
        )
        Assignment.objects.bulk_create(
            Assignment(
                classroom=classroom,
                quiz=quiz,
                due_at=self.now + timedelta(days=rng.randint(-20, 20)),
                assigned_at=self.now - timedelta(days=30),
            )
            for classroom in classrooms
            for quiz in [
                self.quizzes[0],
                *rng.sample(self.quizzes[2:], assignment_count - 1),
            ]
        )

    def _attempts(self, count: int) -> None:
        rng = self.rng
        numbers: dict[tuple[int, int], int] = {}
        for start in range(0, count, BATCH):
            attempts, drawn = [], []
            for _ in range(min(BATCH, count - start)):
                student = rng.choice(self.students)
                quiz, pool = rng.choice(self.history_quizzes)
                key = (student.pk, quiz.pk)
                numbers[key] = numbers.get(key, 0) + 1
                questions = rng.sample(pool, min(QUIZ_SIZE, len(pool)))
                began = self.history_end - timedelta(minutes=rng.randint(10, 180 * 24 * 60))
                attempts.append(
                    Attempt(
                        quiz=quiz,
                        user=student,
                        number=numbers[key],
                        state=Attempt.State.FINISHED,
                        started_at=began,
                        finished_at=began + timedelta(minutes=rng.randint(2, 30)),
                        max_score=float(len(questions)),
                    )
                )
                drawn.append(questions)
            items = []
            for attempt, questions in zip(attempts, drawn, strict=True):
                skill = rng.random()
                score = 0.0
                for position, question in enumerate(questions, start=1):
                    options = self.options[question.pk]
                    response = _response(question.kind, options, rng.random() < skill, rng)
                    credit = scoring.grade(question.kind, options, response)
                    score += credit
                    items.append((attempt, question, position, options, response, credit))
                attempt.score = score
            Attempt.objects.bulk_create(attempts)
            AttemptItem.objects.bulk_create(
                AttemptItem(
                    attempt=attempt,
                    question=question,
                    position=position,
                    choice_order=[o.id for o in options],
                    option_order=[o.id for o in options] if question.kind == Kind.MATCHING else [],
                    response=response,
                    credit=credit,
                    answered_at=attempt.started_at + timedelta(seconds=30 * position),
                )
                for attempt, question, position, options, response, credit in items
            )

    def _reviews(self, count: int) -> None:
        """Cards in review with synthetic memories, and a log of past ratings for each:
        about four ratings a card, some cards due now."""
        rng = self.rng
        if not count:
            return
        per_student = max(1, count // len(self.students))
        cards_each = min(len(self.questions), max(1, per_student // 4))
        made = 0
        for start in range(0, len(self.students), BATCH // 4):
            cards = []
            for student in self.students[start : start + BATCH // 4]:
                for question in rng.sample(self.questions, cards_each):
                    cards.append(
                        CardState(
                            user=student,
                            question=question,
                            state=CardState.State.REVIEW,
                            stability=rng.uniform(1, 60),
                            difficulty=rng.uniform(2, 9),
                            due=self.now + timedelta(hours=rng.randint(-120, 480)),
                            last_review=self.history_end - timedelta(days=rng.randint(0, 30)),
                            version=4,
                        )
                    )
            CardState.objects.bulk_create(cards)
            reviews = []
            for card in cards:
                for k in range(4):
                    if made >= count:
                        break
                    made += 1
                    reviews.append(
                        Review(
                            card=card,
                            user_id=card.user_id,
                            rating=rng.choice((1, 3, 3, 3, 4)),
                            reviewed_at=card.last_review - timedelta(days=7 * (3 - k)),
                            duration_ms=rng.randint(1500, 20000),
                            state_before=CardState.State.LEARNING
                            if k == 0
                            else CardState.State.REVIEW,
                            due_before=card.last_review - timedelta(days=7 * (3 - k)),
                        )
                    )
            Review.objects.bulk_create(reviews)
