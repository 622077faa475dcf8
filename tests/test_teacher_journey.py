"""The issue's "done when": a teacher from create_teacher runs a class on The essentials."""

import csv
import datetime as dt
import io
import re

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.models import Attempt, Classroom, Passage, Question, Quiz
from tests.test_authoring_forms import add, base, rows
from tests.test_quizzes import key_post


def test_a_teacher_writes_imports_assigns_and_reads_the_results(
    client, statement, monkeypatch, django_user_model
):
    monkeypatch.setattr("sys.stdin", io.StringIO("tess-teaches-2020\n"))
    call_command("create_teacher", "tess", stdout=io.StringIO())
    response = client.post(reverse("login"), {"username": "tess", "password": "tess-teaches-2020"})
    assert response.status_code == 302

    bank = Question.objects.get(ref="conf-meeting-form").bank
    passage = Passage.objects.get(number=1)
    answers = {
        "single": rows({"text": "Lavrov"}, {"text": "Wang Yi"}) | {"correct": "0"},
        "multiple": rows({"text": "a", "correct": "on"}, {"text": "b"}),
        "true_false": {"truth": "true"},
        "short": rows({"text": "Sergei Lavrov"}),
        "ordering": {"items": "First\nSecond\nThird"},
        "matching": rows({"text": "Chair", "match": "Lavrov"}, {"text": "Date", "match": "13 May"}),
    }
    for kind, rows_of_kind in answers.items():
        data = base(bank, passage, ref=f"tess-{kind}") | rows_of_kind
        assert add(client, kind, data).status_code == 302
        question = Question.objects.get(ref=f"tess-{kind}")
        assert not question.published  # a draft, kept out of the students' quizzes
        preview = reverse("admin:learning_question_preview", args=[question.pk])
        assert question.prompt in client.get(preview).content.decode()

    gift = "::tess-a::Who chaired? {=Lavrov ~Wang ####Paragraph 1.}\n\nHow many? {#5:1}\n"
    url = reverse("admin:learning_question_import")
    upload = {"bank": bank.pk, "passage": passage.pk}
    file = SimpleUploadedFile("tess.gift", gift.encode())
    response = client.post(url, {**upload, "file": file})
    assert "Line 3:" in response.content.decode()
    fixed = SimpleUploadedFile(
        "tess.gift", gift.replace("How many? {#5:1}", "Bad {=a ~b}").encode()
    )
    assert client.post(url, {**upload, "file": fixed}).status_code == 302
    Question.objects.filter(ref__startswith="tess").update(published=False)

    client.post(reverse("learning:classroom_list"), {"name": "Class 9B"})
    classroom = Classroom.objects.get()
    essentials = Quiz.objects.get(slug="essentials")
    due = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("learning:classroom_assign", args=[classroom.pk]),
        {"quiz": essentials.pk, "due_at": due},
    )

    for name in ("alice", "bob"):
        student = django_user_model.objects.create_user(name, password=f"{name}-password-1")
        student_client = client.__class__()
        student_client.force_login(student)
        student_client.post(reverse("learning:join"), {"code": classroom.join_code})
        assert "The essentials" in student_client.get("/").content.decode()
        student_client.post(reverse("learning:quiz_start", args=["essentials"]))
        attempt = Attempt.objects.get(user=student)
        for item in attempt.items.select_related("question").order_by("position"):
            answer = key_post(item, short=True) if name == "alice" else {}
            student_client.post(item.get_absolute_url(), answer or {"answer": "wrong"})
        student_client.post(reverse("learning:attempt_finish", args=[attempt.pk]))
        if name == "alice":
            assert re.search(r"<td>100%\s*</td>", student_client.get("/").content.decode())

    book = client.get(reverse("learning:classroom_gradebook", args=[classroom.pk]))
    html = book.content.decode()
    assert "alice" in html and "bob" in html and re.search(r"<td><a [^>]*>100%\s*</a></td>", html)
    table = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("learning:classroom_gradebook_csv", args=[classroom.pk])
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert table[0][:3] == ["Student", "Username", "The essentials"]
    assert table[1][0] == "alice" and table[1][2] == "100.0"
    assert len(table) == 3
    stats = client.get(reverse("learning:quiz_statistics", args=["essentials"])).content.decode()
    assert "Over 2 first finished attempts" in stats
    assert User.objects.get(username="tess").is_staff
