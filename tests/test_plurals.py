"""Every number next to a noun takes the plural form its count needs, in English
("1 attempt", "2 attempts") and in languages with more forms than two."""

import datetime as dt
import io
import struct
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from learning import services
from learning.models import CardState, Review, StudySettings
from learning.scheduling import interval_label
from learning.templatetags.learning_tags import span

from .test_progress import finish
from .test_security import log_in


def test_the_home_page_chart_of_one_attempt_says_1_attempt(
    alice_client, alice, make_quiz, make_question
):
    make_question("single")
    quiz = make_quiz(pass_mark=50)
    finish(alice, quiz, 1, timezone.now())
    html = alice_client.get("/").content.decode()
    assert "1 attempt; pass mark 50%." in html
    assert "1 of 1 question known." in html
    assert "1 attempts" not in html and "1 questions" not in html


def test_the_home_page_chart_of_two_attempts_says_2_attempts(alice_client, alice, quiz):
    now = timezone.now()
    finish(alice, quiz, 1, now - dt.timedelta(days=1))
    finish(alice, quiz, 6, now)
    html = alice_client.get("/").content.decode()
    assert "2 attempts; pass mark 50%." in html
    assert "of 6 questions known." in html


def test_the_card_statistics_count_one_card_and_one_review(alice_client, alice, make_question):
    now = timezone.now()
    card = CardState.objects.create(
        user=alice, question=make_question("single"), state=2, stability=5, difficulty=5, due=now
    )
    Review.objects.create(
        card=card, user=alice, rating=3, state_before=2, due_before=now, reviewed_at=now
    )
    html = alice_client.get(reverse("learning:card_statistics")).content.decode()
    assert "1 card is due today." in html
    assert "1 review in 90 days." in html


def test_the_decks_page_counts_one_new_card_and_one_review_left(alice_client, alice, six_kinds):
    StudySettings.objects.create(user=alice, new_per_day=1, reviews_per_day=1)
    html = alice_client.get(reverse("learning:card_decks")).content.decode()
    assert "You can still learn 1 new card today." in html
    assert "You can still review 1 card today." in html


def test_the_class_overview_counts_one_graded_and_one_waiting_student(
    tess_client, tess, alice, bob, quiz
):
    classroom = services.classroom_create(teacher=tess, name="Year 9")
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    for student in (alice, bob):
        services.classroom_join(student=student, code=classroom.join_code)
    finish(alice, quiz, 6, timezone.now())
    html = tess_client.get(reverse("learning:classroom_overview", args=[classroom.pk])).content
    assert "1 student graded; 1 not started; pass mark 50%." in html.decode()


def test_importing_one_question_says_1_question_imported(tmp_path, passage):
    path = tmp_path / "one.gift"
    path.write_text("A? {=a ~b ####x}\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_questions", str(path), "--bank", "One", "--passage", "a-statement/1", stdout=out
    )
    assert out.getvalue().strip().endswith("1 question imported as a draft.")


def test_a_one_minute_lockout_says_1_minute(client, alice, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    for _ in range(5):
        log_in(client, "alice", "wrong", "203.0.113.7")
    html = log_in(client, "alice", "alice-password-1", "203.0.113.7").content.decode()
    assert "Try again in 1 minute." in html


# Russian has three plural forms (1 день, 2 дня, 5 дней): a message that is not a
# plural entry in the catalog cannot come out right for all three.
RUSSIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
RUSSIAN = {
    ("%(n)d s", "%(n)d s"): ["%(n)d секунда", "%(n)d секунды", "%(n)d секунд"],
    ("%(n)d min", "%(n)d min"): ["%(n)d минута", "%(n)d минуты", "%(n)d минут"],
    ("%(n)d h", "%(n)d h"): ["%(n)d час", "%(n)d часа", "%(n)d часов"],
    ("%(n)d d", "%(n)d d"): ["%(n)d день", "%(n)d дня", "%(n)d дней"],
    ("%(n)s mo", "%(n)s mo"): ["%(n)s месяц", "%(n)s месяца", "%(n)s месяцев"],
    ("%(n)s y", "%(n)s y"): ["%(n)s год", "%(n)s года", "%(n)s лет"],
}


def write_mo(path: Path, plural_forms: str, messages: dict[tuple[str, str], list[str]]) -> None:
    """A compiled gettext catalog (the .mo format msgfmt writes), without msgfmt."""
    header = f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"
    entries = sorted(
        [(b"", header.encode())]
        + [("\0".join(k).encode(), "\0".join(v).encode()) for k, v in messages.items()]
    )
    start = 7 * 4 + 16 * len(entries)
    ids, strs, table_ids, table_strs = b"", b"", [], []
    for key, _value in entries:
        table_ids.append((len(key), start + len(ids)))
        ids += key + b"\0"
    for _key, value in entries:
        table_strs.append((len(value), start + len(ids) + len(strs)))
        strs += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
    for length, offset in table_ids + table_strs:
        out += struct.pack("<2I", length, offset)
    path.parent.mkdir(parents=True)
    path.write_bytes(out + ids + strs)


@pytest.fixture
def russian(settings, tmp_path):
    write_mo(tmp_path / "ru" / "LC_MESSAGES" / "django.mo", RUSSIAN_PLURALS, RUSSIAN)
    settings.LOCALE_PATHS = [tmp_path]
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (dt.timedelta(minutes=1), "1 минута"),
        (dt.timedelta(minutes=3), "3 минуты"),
        (dt.timedelta(minutes=10), "10 минут"),
        (dt.timedelta(hours=2), "2 часа"),
        (dt.timedelta(hours=21), "21 час"),
        (dt.timedelta(days=2), "2 дня"),
        (dt.timedelta(days=11), "11 дней"),
        (dt.timedelta(days=60), "2 месяца"),
        (dt.timedelta(days=75), "2,5 месяца"),
        (dt.timedelta(days=365 * 5), "5 лет"),
    ],
)
def test_a_card_buttons_interval_takes_the_plural_form_of_its_count(russian, interval, label):
    assert interval_label(interval) == label


@pytest.mark.parametrize(
    ("duration", "said"),
    [
        (dt.timedelta(seconds=22), "22 секунды"),
        (dt.timedelta(minutes=5), "5 минут"),
        (dt.timedelta(hours=1, minutes=2), "1 час 2 минуты"),
        (dt.timedelta(hours=3, minutes=21), "3 часа 21 минута"),
    ],
)
def test_a_duration_takes_the_plural_form_of_each_count(russian, duration, said):
    assert span(duration) == said


def test_the_english_interval_labels_stay_as_anki_shows_them():
    assert [
        interval_label(dt.timedelta(minutes=1)),
        interval_label(dt.timedelta(hours=3)),
        interval_label(dt.timedelta(days=8)),
        interval_label(dt.timedelta(days=75)),
    ] == ["1 min", "3 h", "8 d", "2.5 mo"]
    assert span(dt.timedelta(hours=1, minutes=5)) == "1 h 5 min"
