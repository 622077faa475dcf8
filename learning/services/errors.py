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
