"""seed_load, the bench's data set, and the bench's ceiling view (bench/README.md)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from learning import services
from learning.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    CardState,
    Choice,
    Classroom,
    Question,
    Quiz,
    Review,
    Source,
)
from learning.roles import is_teacher

SMALL = {
    "classrooms": 2,
    "students_per_class": 5,
    "banks": 3,
    "questions": 60,
    "quizzes": 5,
    "attempts": 40,
    "reviews": 80,
}


def seed(**options):
    call_command("seed_load", stdout=open("/dev/null", "w"), **{**SMALL, **options})  # noqa: SIM115


def snapshot() -> tuple:
    return (
        list(Question.objects.order_by("ref").values_list("ref", "kind", "bank__slug")),
        list(Choice.objects.order_by("question__ref", "text").values_list("text", "credit")),
        list(Attempt.objects.order_by("id").values_list("user__username", "quiz__slug", "score")),
        list(AttemptItem.objects.order_by("id").values_list("question__ref", "credit")),
        sorted(Classroom.objects.values_list("join_code", flat=True)),
    )


@pytest.mark.django_db
def test_it_seeds_a_school_of_the_asked_size():
    seed()
    assert Classroom.objects.count() == 2 and all(
        is_teacher(c.teacher) for c in Classroom.objects.all()
    )
    assert Question.objects.count() == 60
    assert Quiz.objects.count() == 5
    assert Attempt.objects.done().count() == 40 and Attempt.objects.in_progress().count() == 0
    assert AttemptItem.objects.filter(answered_at__isnull=True).count() == 0
    assert Review.objects.count() == 80
    assert Assignment.objects.filter(quiz__slug="load-exam").count() == 2
    # Every bank holds every kind of question, so every bench page meets every kind.
    for slug in ("load-bank-01", "load-bank-03"):
        kinds = set(Question.objects.filter(bank__slug=slug).values_list("kind", flat=True))
        assert kinds == set(Question.Kind.values)


@pytest.mark.django_db
def test_the_seeded_answers_are_graded_as_the_site_grades_them():
    seed()
    attempt = Attempt.objects.first()
    assert attempt.score == pytest.approx(sum(i.credit for i in attempt.items.all()))
    assert all(0 <= i.credit <= 1 for i in AttemptItem.objects.all())
    assert all(c.reviews.count() <= c.version for c in CardState.objects.all())


@pytest.mark.django_db
def test_the_seeded_exam_and_drill_can_be_taken():
    seed()
    student = Classroom.objects.first().students.first()
    exam = services.attempt_start(user=student, quiz=Quiz.objects.get(slug="load-exam"))
    assert exam.items.count() == 30 and exam.deadline is not None
    drill = services.attempt_start(user=student, quiz=Quiz.objects.get(slug="load-drill"))
    assert drill.items.count() == 20


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows():
    runs = []
    for _ in range(2):
        seed(seed=3)
        runs.append(snapshot())
        Attempt.objects.all().delete()
        User.objects.all().delete()
        Quiz.objects.all().delete()
        Question.objects.all().delete()
        Bank.objects.all().delete()
        Source.objects.all().delete()
    assert runs[0] == runs[1]


@pytest.mark.django_db
def test_it_refuses_a_seeded_database_and_too_small_a_school():
    with pytest.raises(CommandError, match="at least"):
        seed(questions=10)
    with pytest.raises(CommandError, match="classroom"):
        seed(classrooms=0)
    seed(quizzes=3, attempts=0, reviews=0)  # the smallest school it accepts
    assert Quiz.objects.count() == 3 and Assignment.objects.count() == 2 * 2
    with pytest.raises(CommandError, match="seeded already"):
        seed()


def test_the_ceiling_view_exists_only_in_a_bench_server(client, settings, db):
    assert client.get("/bench/ceiling/").status_code == 404
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/bench/ceiling/")
    assert response.status_code == 200 and response.content == b"ok"
    # The bench's server serves the site's own pages too.
    assert client.get("/quizzes/").status_code == 200
