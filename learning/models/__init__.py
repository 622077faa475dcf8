from .bank import Bank, Choice, Passage, Question, Source
from .cards import CardState, Review, StudySettings
from .quizzes import Attempt, AttemptItem, Quiz

__all__ = [
    "Attempt",
    "AttemptItem",
    "Bank",
    "CardState",
    "Choice",
    "Passage",
    "Question",
    "Quiz",
    "Review",
    "Source",
    "StudySettings",
]
