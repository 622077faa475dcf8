"""Workflows that change rows, one module per domain, each one transaction.

Views parse and authorise, then call one of these; the rules live here. Callers
use `services.attempt_start(...)` and catch `services.Refused`.
"""

from .accounts import profile_set_language
from .attempts import (
    attempt_answer,
    attempt_expire_if_due,
    attempt_finish,
    attempt_start,
    preview_answer,
    preview_item,
)
from .authoring import (
    question_duplicate,
    questions_import,
    questions_move,
    teacher_create,
)
from .cards import card_next, card_review
from .classrooms import (
    JOIN_CODE_LIFETIME,
    assignment_set,
    classroom_create,
    classroom_join,
    classroom_regenerate_code,
    membership_remove,
)
from .errors import (
    AlreadyAnswered,
    AttemptClosed,
    AttemptsExhausted,
    DeadlinePassed,
    JoinCodeExpired,
    JoinError,
    NoQuestions,
    Refused,
    StaleCard,
)

__all__ = [
    "JOIN_CODE_LIFETIME",
    "AlreadyAnswered",
    "AttemptClosed",
    "AttemptsExhausted",
    "DeadlinePassed",
    "JoinCodeExpired",
    "JoinError",
    "NoQuestions",
    "Refused",
    "StaleCard",
    "assignment_set",
    "attempt_answer",
    "attempt_expire_if_due",
    "attempt_finish",
    "attempt_start",
    "card_next",
    "card_review",
    "classroom_create",
    "classroom_join",
    "classroom_regenerate_code",
    "membership_remove",
    "preview_answer",
    "preview_item",
    "profile_set_language",
    "question_duplicate",
    "questions_import",
    "questions_move",
    "teacher_create",
]
