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
