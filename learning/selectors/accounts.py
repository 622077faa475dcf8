"""Everything the site holds about one student, as plain data for their download."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from ..models import Attempt, AttemptItem, CardState, Membership, Profile, Review, StudySettings


def account_export(user: AbstractBaseUser) -> dict:
    """The student's account, languages, study settings, classes, attempts with
    every answer, and cards with every rating: a fixed number of queries."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz")
        .prefetch_related(
            Prefetch("items", queryset=AttemptItem.objects.select_related("question"))
        )
        .order_by("started_at")
    )
    cards = (
        CardState.objects.filter(user=user)
        .select_related("question")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.order_by("reviewed_at")))
        .order_by("id")
    )
    limits = StudySettings.objects.filter(user=user).first()
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "joined": user.date_joined,
            "last_login": user.last_login,
            "language": Profile.language_of(user),
        },
        "study_settings": None
        if limits is None
        else {
            "new_per_day": limits.new_per_day,
            "reviews_per_day": limits.reviews_per_day,
            "desired_retention": limits.desired_retention,
        },
        "classes": [
            {"class": m.classroom.name, "joined": m.joined_at}
            for m in Membership.objects.filter(student=user).select_related("classroom")
        ],
        "attempts": [_attempt(a) for a in attempts],
        "cards": [_card(c) for c in cards],
    }


def _attempt(attempt: Attempt) -> dict:
    return {
        "quiz": attempt.quiz.title,
        "number": attempt.number,
        "state": attempt.state,
        "started": attempt.started_at,
        "deadline": attempt.deadline,
        "finished": attempt.finished_at,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "answers": [
            {
                "position": item.position,
                "question": item.question.prompt,
                "response": item.response,
                "credit": item.credit,
                "answered": item.answered_at,
                "flagged": item.flagged,
            }
            for item in attempt.items.all()
        ],
    }


def _card(card: CardState) -> dict:
    return {
        "question": card.question.prompt,
        "state": card.get_state_display(),
        "due": card.due,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "note": card.note,
        "ratings": [
            {"rating": r.get_rating_display(), "at": r.reviewed_at, "looked_ms": r.duration_ms}
            for r in card.reviews.all()
        ],
    }
