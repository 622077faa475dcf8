"""What a teacher adds to a student's finished attempt: comments the student
reads on their result, and overrides of one question's credit (who, when, old
and new), which later regrades keep."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .quizzes import Attempt, AttemptItem


class Comment(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="comments", verbose_name=_("attempt")
    )
    # Empty: a comment on the attempt as a whole.
    item = models.ForeignKey(
        AttemptItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("question"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments_written",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=2000)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["attempt_id", "at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.attempt} · {self.text[:40]}"


class CreditOverride(models.Model):
    item = models.ForeignKey(
        AttemptItem, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("question")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="overrides_made",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    old_credit = models.FloatField(_("old credit"), null=True)
    new_credit = models.FloatField(_("new credit"))
    old_score = models.FloatField(_("old score"))
    new_score = models.FloatField(_("new score"))

    class Meta:
        ordering = ["item_id", "at", "id"]
        verbose_name = _("credit override")
        verbose_name_plural = _("credit overrides")

    def __str__(self) -> str:
        return f"{self.item} · {self.old_credit} → {self.new_credit:g}"
