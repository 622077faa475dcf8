import datetime as dt
import shutil
import tempfile

import hypothesis
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from learning.models import Bank, Choice, Passage, Question, Quiz, Source
from learning.selectors import memory

# The test machine is shared with other builds: a slow moment must not fail a
# property test, so wall-clock limits are off (the properties are unchanged).
hypothesis.settings.register_profile(
    "shared", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("shared")


def pytest_configure(config):
    """The sections kept where every process finds them (`CACHES["shared"]`) go to a
    folder of this run's own, not to DATA_DIR/cache: a site, or another run of the
    suite, may be using that one."""
    from django.conf import settings

    shared = settings.CACHES["shared"]
    if shared["BACKEND"].endswith("FileBasedCache"):
        shared["LOCATION"] = tempfile.mkdtemp(prefix="quizsite-tests-cache-")


def pytest_unconfigure(config):
    from django.conf import settings

    location = settings.CACHES["shared"].get("LOCATION", "")
    if "quizsite-tests-cache-" in str(location):
        shutil.rmtree(location, ignore_errors=True)


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} {connection.settings_dict['NAME']}"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests run without collectstatic, so without the hashed manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _nothing_kept_in_memory():
    """Every test starts with nothing kept in process memory (a question pool, a live
    game's question) from another test's rolled-back rows."""
    memory.forget()
    yield
    memory.forget()


@pytest.fixture(autouse=True)
def _language_of_each_test_its_own():
    """A request in French leaves French active in this thread (LocaleMiddleware
    activates a language and nothing deactivates it): each test starts in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; these tests check who gets in, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def statement(db):
    """The shipped fixtures: the statement, its passages, banks, questions and quizzes."""
    call_command("loaddata", "statement", verbosity=0)


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", password="alice-password-1")


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob", password="bob-password-1")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def passage(db) -> Passage:
    source = Source.objects.create(title="A statement", slug="a-statement")
    return Passage.objects.create(
        source=source,
        number=1,
        text="The conference was chaired by Foreign Minister Sergei Lavrov of Russia on 13 May.",
    )


@pytest.fixture
def bank(db) -> Bank:
    return Bank.objects.create(name="The conference", slug="the-conference")


# Each kind of question with its choices as (text, credit, position, match).
KINDS = {
    "single": [
        ("Sergei Lavrov", 1, None, ""),
        ("Wang Yi", 0, None, ""),
        ("Mr Nobody", 0, None, ""),
    ],
    "true_false": [("True", 1, None, ""), ("False", 0, None, "")],
    "multiple": [
        ("Counterterrorism", 0.5, None, ""),
        ("Narcotics control", 0.5, None, ""),
        ("Space tourism", -0.5, None, ""),
        ("Deep-sea mining", -0.5, None, ""),
    ],
    "short": [("Sergei Lavrov", 1, None, ""), ("Lavrov", 1, None, "")],
    "ordering": [
        ("Fight COVID-19", 0, 1, ""),
        ("Security", 0, 2, ""),
        ("Development", 0, 3, ""),
        ("Multilateralism", 0, 4, ""),
    ],
    "matching": [
        ("Chair", 0, None, "Sergei Lavrov"),
        ("Attended from Beijing", 0, None, "Wang Yi"),
        ("Date", 0, None, "13 May 2020"),
    ],
}


@pytest.fixture
def make_question(bank, passage):
    def make(kind: str, prompt: str = "", **fields) -> Question:
        # Published unless a test says otherwise: most tests are about live questions.
        fields.setdefault("published", True)
        question = Question.objects.create(
            bank=fields.pop("bank", bank),
            passage=passage,
            kind=kind,
            prompt=prompt or f"A {kind} question?",
            explanation=f"EXPLAINED-{kind}: paragraph 1 says so.",
            **fields,
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, credit=credit, position=position, match=match)
            for text, credit, position, match in KINDS[kind]
        )
        return question

    return make


@pytest.fixture
def six_kinds(make_question) -> dict[str, Question]:
    return {kind: make_question(kind) for kind in KINDS}


@pytest.fixture
def make_quiz(bank):
    def make(**fields) -> Quiz:
        fields.setdefault("title", "Practice")
        fields.setdefault("slug", "practice")
        fields.setdefault("published", True)
        quiz = Quiz.objects.create(**fields)
        quiz.banks.add(bank)
        return quiz

    return make


@pytest.fixture
def quiz(six_kinds, make_quiz) -> Quiz:
    """All six kinds, in a fixed order, immediate feedback, no time limit."""
    return make_quiz(shuffle_questions=False, shuffle_choices=True)


@pytest.fixture
def timed_quiz(six_kinds, make_quiz) -> Quiz:
    return make_quiz(
        title="Exam",
        slug="exam",
        time_limit=dt.timedelta(minutes=20),
        attempts_allowed=2,
        feedback_timing=Quiz.FeedbackTiming.DEFERRED,
        pass_mark=70,
    )


@pytest.fixture
def tess(db) -> User:
    """Tess the teacher, made the way `create_teacher` makes one."""
    from learning import services

    return services.teacher_create(username="tess", password="tess-teaches-2020")


@pytest.fixture
def tom(db) -> User:
    """Another teacher, who must never see Tess's classes."""
    from learning import services

    return services.teacher_create(username="tom", password="tom-teaches-2020")


@pytest.fixture
def tess_client(client, tess):
    client.force_login(tess)
    return client
