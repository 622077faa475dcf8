from .bank import Bank, Choice, Passage, Question, Source
from .quizzes import Attempt, AttemptItem, Quiz

__all__ = ["Attempt", "AttemptItem", "Bank", "Choice", "Passage", "Question", "Quiz", "Source"]
