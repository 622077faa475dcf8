"""Workflows that change rows, one module per domain, each one transaction.

Views parse and authorise, then call one of these; the rules live here. Callers
use `services.attempt_start(...)` and catch `services.Refused`.
"""

from .access import access_check, attempt_deadline, password_hash
from .accounts import account_delete, profile_set_language
from .attempts import (
    attempt_answer,
    attempt_expire_if_due,
    attempt_finish,
    attempt_flag,
    attempt_start,
    preview_answer,
    preview_item,
)
from .authoring import (
    question_choices_set,
    question_duplicate,
    questions_import,
    questions_move,
    questions_publish,
    quizzes_affected,
    teacher_create,
)
from .cards import card_next, card_review, card_undo
from .classrooms import (
    JOIN_CODE_LIFETIME,
    assignment_set,
    classroom_create,
    classroom_join,
    classroom_regenerate_code,
    membership_remove,
)
from .cloze import cloze_cards_build
from .errors import (
    AccountNotDeletable,
    AlreadyAccepted,
    AlreadyAnswered,
    AttemptClosed,
    AttemptsExhausted,
    ConfirmationNeeded,
    DeadlinePassed,
    JoinCodeExpired,
    JoinError,
    NoQuestions,
    NothingToRegrade,
    NotPublishable,
    NotShortAnswer,
    QuizClosed,
    QuizNotOpen,
    Refused,
    RegradeStale,
    StaleCard,
    WrongPassword,
)
from .regrade import Adjustment, RegradePlan, quiz_regrade, regrade_preview

__all__ = [
    "JOIN_CODE_LIFETIME",
    "AccountNotDeletable",
    "Adjustment",
    "AlreadyAccepted",
    "AlreadyAnswered",
    "AttemptClosed",
    "AttemptsExhausted",
    "ConfirmationNeeded",
    "DeadlinePassed",
    "JoinCodeExpired",
    "JoinError",
    "NoQuestions",
    "NotPublishable",
    "NotShortAnswer",
    "NothingToRegrade",
    "QuizClosed",
    "QuizNotOpen",
    "Refused",
    "RegradePlan",
    "RegradeStale",
    "StaleCard",
    "WrongPassword",
    "access_check",
    "account_delete",
    "assignment_set",
    "attempt_answer",
    "attempt_deadline",
    "attempt_expire_if_due",
    "attempt_finish",
    "attempt_flag",
    "attempt_start",
    "card_next",
    "card_review",
    "card_undo",
    "classroom_create",
    "classroom_join",
    "classroom_regenerate_code",
    "cloze_cards_build",
    "membership_remove",
    "password_hash",
    "preview_answer",
    "preview_item",
    "profile_set_language",
    "question_choices_set",
    "question_duplicate",
    "questions_import",
    "questions_move",
    "questions_publish",
    "quiz_regrade",
    "quizzes_affected",
    "regrade_preview",
    "teacher_create",
]
