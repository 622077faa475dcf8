"""The version of the question content: one row, one number, changed in the same
transaction as every write that changes what an attempt can draw (a question, its
choices, its bank, an exclusion group, a quiz's banks or dropped questions).

What is derived from that content and costly to read again (the pool of question
ids a start draws from, each question's bank for the mastery chart) is kept per
process under this number (`learning.pools`). The number lives in the database,
not in a cache, so every process and every server sees a change at once, whether
or not they share a cache; reading it is one primary-key lookup. Each change draws
a new random number rather than adding one, so that a database restored from a
backup and edited again never reuses a number that processes have kept other
content under.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ContentVersionManager(models.Manager["ContentVersion"]):
    def current(self) -> int:
        return self.filter(pk=1).values_list("number", flat=True).first() or 0

    def bump(self) -> None:
        """A new number; callers are inside the transaction of their write, if any."""
        number = secrets.randbits(62) + 1
        if not self.filter(pk=1).update(number=number):
            self.bulk_create([ContentVersion(pk=1, number=number)], ignore_conflicts=True)


class ContentVersion(models.Model):
    number = models.BigIntegerField(_("version"), default=0)

    objects = ContentVersionManager()

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return str(self.number)


class ContentQuerySet(models.QuerySet):
    """The querysets of content models: their bulk writes, which send no signals,
    change the version too."""

    def update(self, **kwargs) -> int:
        count = super().update(**kwargs)
        if count:
            ContentVersion.objects.bump()
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            ContentVersion.objects.bump()
        return created

    def bulk_update(self, objs, *args, **kwargs) -> int:
        count = super().bulk_update(objs, *args, **kwargs)
        if count:
            ContentVersion.objects.bump()
        return count


def content_changed(**kwargs) -> None:
    """A signal receiver: saving or deleting content, or changing its links."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    ContentVersion.objects.bump()


def watch(*models_: type[models.Model], links: tuple = ()) -> None:
    """Change the version on every save and delete of `models_` and every change
    of the many-to-many `links` (their `through` models)."""
    for model in models_:
        uid = f"content-version-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
    for through in links:
        m2m_changed.connect(
            content_changed, sender=through, dispatch_uid=f"content-version-{through._meta.label}"
        )


class ProgressStampManager(models.Manager["ProgressStamp"]):
    def of(self, user_id: int) -> int:
        return self.filter(user_id=user_id).values_list("number", flat=True).first() or 0

    def of_many(self, user_ids) -> dict[int, int]:
        """Each student's number, made first for those who have none (their first
        visit), so that later writes can change it."""
        numbers = dict(self.filter(user_id__in=user_ids).values_list("user_id", "number"))
        missing = [user_id for user_id in user_ids if user_id not in numbers]
        if missing:
            self.bulk_create(
                [ProgressStamp(user_id=u, number=secrets.randbits(62) + 1) for u in missing],
                ignore_conflicts=True,
            )
            numbers = dict(self.filter(user_id__in=user_ids).values_list("user_id", "number"))
        return numbers

    def bump(self, *user_ids: int, create: bool = True) -> None:
        """A new number for each student; inside the caller's transaction, if any.
        Without `create`, only a student who has a number gets a new one: nothing
        is kept for one who has none (`student_summary` makes it first), and a
        row deleted with its user must not be made again."""
        for user_id in set(user_ids):
            number = secrets.randbits(62) + 1
            if not self.filter(user_id=user_id).update(number=number) and create:
                self.bulk_create(
                    [ProgressStamp(user_id=user_id, number=number)], ignore_conflicts=True
                )


class ProgressStamp(models.Model):
    """The version of one student's finished work: changed in the same transaction
    as each write that changes what their home page sums up (an attempt closed,
    regraded, overridden or deleted, a card made or changed by hand, a rating
    deleted, their study settings), so the summary kept under it
    (`selectors.progress.student_summary`) is never stale. Answers inside an
    open attempt and new ratings are read by the page itself, not counted here,
    so that the answer and rating POSTs write nothing more."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        verbose_name=_("user"),
    )
    number = models.BigIntegerField(_("version"), default=0)

    objects = ProgressStampManager()

    class Meta:
        verbose_name = _("progress version")
        verbose_name_plural = _("progress versions")

    def __str__(self) -> str:
        return str(self.number)


def progress_changed(sender, instance, **kwargs) -> None:
    """A signal receiver: a row of a student's work saved or deleted."""
    try:
        owner = progress_owner(instance)
    except ObjectDoesNotExist:  # deleted with its attempt, whose deletion counts
        return
    ProgressStamp.objects.bump(owner, create=False)


def progress_owner(instance: models.Model) -> int:
    """The student whose work the row is part of."""
    if hasattr(instance, "user_id"):
        return instance.user_id
    if hasattr(instance, "attempt_id"):  # a regrade record
        return instance.attempt.user_id
    return instance.item.attempt.user_id  # a credit override


def watch_progress(*saved_or_deleted: type[models.Model], deleted: tuple = ()) -> None:
    for model in saved_or_deleted:
        uid = f"progress-stamp-{model._meta.label}"
        post_save.connect(progress_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(progress_changed, sender=model, dispatch_uid=uid + "-delete")
    for model in deleted:
        uid = f"progress-stamp-{model._meta.label}-delete"
        post_delete.connect(progress_changed, sender=model, dispatch_uid=uid)
