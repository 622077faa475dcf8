from .bank import Bank, Choice, Passage, Question, Source
from .classrooms import Assignment, Classroom, Membership
from .quizzes import Attempt, AttemptItem, Quiz

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptItem",
    "Bank",
    "Choice",
    "Classroom",
    "Membership",
    "Passage",
    "Question",
    "Quiz",
    "Source",
]
