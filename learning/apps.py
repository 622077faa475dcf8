from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from .models import (
            Assignment,
            Attempt,
            Bank,
            CardState,
            Choice,
            Classroom,
            CreditOverride,
            ExclusionGroup,
            Membership,
            Passage,
            Question,
            Quiz,
            Regrade,
            Review,
            Source,
            StudySettings,
        )
        from .models.versions import watch, watch_classes, watch_progress

        watch(
            Source,
            Passage,
            Bank,
            Question,
            Choice,
            ExclusionGroup,
            Quiz,
            links=(
                Question.also_cites.through,
                Quiz.banks.through,
                Quiz.dropped_questions.through,
                ExclusionGroup.questions.through,
            ),
        )
        # A rating is counted by the summary's key (the student's latest review),
        # so that the rating POST writes nothing more; a deleted one changes it.
        watch_progress(CardState, StudySettings, CreditOverride, Regrade, deleted=(Attempt, Review))
        watch_classes(
            get_user_model(),
            Classroom,
            Membership,
            Assignment,
            results=((Attempt, False), (Regrade, True), (CreditOverride, True)),
        )
