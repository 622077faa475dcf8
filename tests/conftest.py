import pytest
from django.core.management import call_command


@pytest.fixture
def statement(db):
    """The shipped fixtures: the statement, its passages, banks, questions and quizzes."""
    call_command("loaddata", "statement", verbosity=0)
