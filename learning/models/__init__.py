from .accounts import Profile
from .bank import Bank, Choice, ExclusionGroup, Passage, Question, Source
from .cards import CardState, Review, StudyScope, StudySettings, start_of_day
from .classrooms import Assignment, Classroom, Membership
from .quizzes import Attempt, AttemptItem, Quiz

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptItem",
    "Bank",
    "CardState",
    "Choice",
    "Classroom",
    "ExclusionGroup",
    "Membership",
    "Passage",
    "Profile",
    "Question",
    "Quiz",
    "Review",
    "Source",
    "StudyScope",
    "StudySettings",
    "start_of_day",
]
