"""The record of every regrade: who changed which attempt's score, when, from what to what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .quizzes import Attempt, AttemptItem


class Regrade(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="regrades", verbose_name=_("attempt")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="regrades_made",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    reason = models.CharField(_("reason"), max_length=300)
    old_score = models.FloatField(_("old score"))
    new_score = models.FloatField(_("new score"))
    old_max_score = models.FloatField(_("old maximum score"))
    new_max_score = models.FloatField(_("new maximum score"))

    class Meta:
        ordering = ["attempt_id", "at", "id"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"{self.attempt} · {self.old_score:g} → {self.new_score:g}"

    @staticmethod
    def _percent(score: float, max_score: float) -> float | None:
        return round(100 * score / max_score, 1) if max_score else None

    @property
    def old_percent(self) -> float | None:
        return self._percent(self.old_score, self.old_max_score)

    @property
    def new_percent(self) -> float | None:
        return self._percent(self.new_score, self.new_max_score)


class RegradeItem(models.Model):
    regrade = models.ForeignKey(
        Regrade, on_delete=models.CASCADE, related_name="items", verbose_name=_("regrade")
    )
    item = models.ForeignKey(
        AttemptItem, on_delete=models.CASCADE, related_name="regrades", verbose_name=_("item")
    )
    old_credit = models.FloatField(_("old credit"), null=True)
    new_credit = models.FloatField(_("new credit"), null=True)
    dropped = models.BooleanField(_("dropped"), default=False)

    class Meta:
        ordering = ["regrade_id", "item_id"]
        verbose_name = _("regraded item")
        verbose_name_plural = _("regraded items")

    def __str__(self) -> str:
        return f"{self.item} · {self.old_credit} → {self.new_credit}"
