from .accommodations import Accommodation, Grant, Terms
from .accounts import Profile
from .bank import Bank, Choice, ExclusionGroup, Passage, Question, Source
from .cards import CardState, Review, StudyScope, StudySettings, start_of_day
from .classrooms import Assignment, Classroom, Membership
from .live import Game, GameQuestion, LiveAnswer, LiveResult, Player
from .quizzes import Attempt, AttemptItem, NavigatorEntry, Quiz
from .regrades import Regrade, RegradeItem
from .teaching import Comment, CreditOverride
from .versions import ClassStamp, ContentVersion, ProgressStamp, QuizStamp

__all__ = [
    "Accommodation",
    "Assignment",
    "Attempt",
    "AttemptItem",
    "Bank",
    "CardState",
    "Choice",
    "ClassStamp",
    "Classroom",
    "Comment",
    "ContentVersion",
    "CreditOverride",
    "ExclusionGroup",
    "Game",
    "GameQuestion",
    "Grant",
    "LiveAnswer",
    "LiveResult",
    "Membership",
    "NavigatorEntry",
    "Passage",
    "Player",
    "Profile",
    "ProgressStamp",
    "Question",
    "Quiz",
    "QuizStamp",
    "Regrade",
    "RegradeItem",
    "Review",
    "Source",
    "StudyScope",
    "StudySettings",
    "Terms",
    "start_of_day",
]
