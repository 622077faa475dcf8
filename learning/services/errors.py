"""Every refusal a workflow can give, each with the message a user reads.

Views catch `Refused` (or one of its kinds) and show its message as it is; a
refusal never means a bug, so it is never a 500.
"""

from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """A request the rules refuse; its message is shown to the user as it is."""

    message = _("This can't be done.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str(message or self.message))


class AttemptsExhausted(Refused):
    message = _("You have used all your attempts at this quiz.")


class NoQuestions(Refused):
    message = _("This quiz has no questions yet.")


class AttemptClosed(Refused):
    message = _("This attempt is finished; its answers can no longer change.")


class DeadlinePassed(AttemptClosed):
    message = _("Time is up: the attempt was closed at its deadline.")


class AlreadyAnswered(Refused):
    message = _("This question was already answered; your first answer stands.")


class JoinError(Refused):
    message = _("There is no class with this code. Check it with your teacher.")


class JoinCodeExpired(JoinError):
    message = _("This join code has expired. Ask your teacher for a new one.")


class StaleCard(Refused):
    message = _(
        "That card was already rated (a second click or another tab); here is the next one."
    )


class QuizNotOpen(Refused):
    message = _("This quiz is not open yet.")


class QuizClosed(Refused):
    message = _("This quiz has closed.")


class WrongPassword(Refused):
    message = _("That is not the password for this sitting. Ask your teacher for it.")


class NotPublishable(Refused):
    message = _("This question cannot be published yet.")


class ConfirmationNeeded(Refused):
    message = _("Students are sitting a quiz that draws from this bank: confirm to publish.")


class RegradeStale(Refused):
    message = _(
        "Attempts changed since the dry run (a student finished, or the key changed): "
        "here is the dry run again. Nothing was regraded."
    )


class NothingToRegrade(Refused):
    message = _("The dry run found no attempt whose score would change.")


class AlreadyAccepted(Refused):
    message = _("That answer is already accepted with full credit.")


class NotShortAnswer(Refused):
    message = _("Only a short-answer question takes an accepted answer.")


class DueInPast(Refused):
    message = _("The due date is in the past: choose a later one.")


class RosterProblems(Refused):
    """The class list has lines to fix; nothing was created."""

    message = _("Nothing was created: fix the lines below, then try again.")

    def __init__(self, message: str | None = None, *, problems: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.problems = problems


class NotResettable(Refused):
    message = _("Only a student of your class who is not staff can be given a new password.")


class CommentEmpty(Refused):
    message = _("Write the comment first.")


class AttemptStillOpen(Refused):
    message = _("The student is still sitting this attempt: wait until it is finished.")


class CreditOutOfRange(Refused):
    message = _("Credit is a number from 0 to 1.")


class CreditUnchanged(Refused):
    message = _("The question already has this credit.")


class NotRestorable(Refused):
    message = _("This removal can no longer be undone; the student can rejoin with the code.")


class AlreadyAssigned(Refused):
    message = _("That quiz is already assigned to this class.")


class AccountNotDeletable(Refused):
    message = _(
        "A teacher's account holds classes and questions: ask the site's administrator to "
        "delete it."
    )


class GameNotFound(Refused):
    message = _("There is no game with this PIN. Check the PIN on the projector.")


class GameOver(Refused):
    message = _("This game has ended.")


class NicknameTaken(Refused):
    message = _("Someone in this game already has this nickname. Choose another.")


class NicknameInvalid(Refused):
    message = _("Choose a nickname of 1 to 24 characters.")


class AnswersClosed(Refused):
    message = _("Answers to this question are closed.")


class TeamInvalid(Refused):
    message = _("Choose one of this game's teams.")


class TeamsClosed(Refused):
    message = _("Teams can be changed only in the lobby, before the game starts.")


class GameStale(Refused):
    message = _("The game moved on meanwhile; here is where it is now.")
