"""The version of the question content: one row, one number, changed in the same
transaction as every write that changes what an attempt can draw or a page
quotes (a question, its choices, its bank, an exclusion group, a quiz's banks or
dropped questions, a source, a paragraph, the paragraphs a question also cites).

What is derived from that content and costly to read again (the pool of question
ids a start draws from, each question's bank for the mastery chart, a flashcard's
back) is kept under this number (`learning.pools`, the cache). The number lives in
the database, not in a cache, so every process and every server sees a change at
once, whether or not they share a cache; reading it is one primary-key lookup. Each change draws
a new random number rather than adding one, so that a database restored from a
backup and edited again never reuses a number that processes have kept other
content under.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ContentVersionManager(models.Manager["ContentVersion"]):
    def current(self) -> int:
        """The number. A fixed statement, raw SQL: nearly every page of an attempt, a
        start, a flashcard and a live game's phone reads it, and the ORM took ten
        times the database's time to build this one-row lookup (bench/README.md,
        fifteenth round)."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT number FROM {self.model._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

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


def on_write(receiver, name: str, model: type[models.Model], saved: bool = True) -> None:
    """Call `receiver` on every delete of `model`, and on every save if `saved`."""
    uid = f"{name}-{model._meta.label}"
    if saved:
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
    post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")


def of_attempt(instance: models.Model, field: str):
    """`field` of the attempt the row is part of: the attempt itself, a regrade
    record or a credit override."""
    if hasattr(instance, field):
        return getattr(instance, field)
    if hasattr(instance, "attempt_id"):
        return getattr(instance.attempt, field)
    return getattr(instance.item.attempt, field)


def watch(*models_: type[models.Model], links: tuple = ()) -> None:
    """Change the version on every save and delete of `models_` and every change
    of the many-to-many `links` (their `through` models)."""
    for model in models_:
        on_write(content_changed, "content-version", model)
    for through in links:
        m2m_changed.connect(
            content_changed, sender=through, dispatch_uid=f"content-version-{through._meta.label}"
        )


class StampManager(models.Manager):
    """A stamp is one random number per row of what it versions (a student, a
    class, a quiz), its primary key that row's. Random rather than counted up, as
    the content version is."""

    def of_many(self, pks) -> dict[int, int]:
        """Each row's number, made first for those that have none (their first
        visit), so that later writes can change it."""
        numbers = dict(self.filter(pk__in=pks).values_list("pk", "number"))
        missing = [pk for pk in pks if pk not in numbers]
        if missing:
            self.bulk_create(
                [self.model(pk=pk, number=secrets.randbits(62) + 1) for pk in missing],
                ignore_conflicts=True,
            )
            numbers = dict(self.filter(pk__in=pks).values_list("pk", "number"))
        return numbers

    def bump(self, *pks: int, create: bool = True) -> None:
        """A new number for each row; inside the caller's transaction, if any.
        Without `create`, only a row that has a number gets a new one: nothing is
        kept under one that has none (the page makes it first), and a stamp
        deleted with what it versions must not be made again."""
        for pk in set(pks):
            number = secrets.randbits(62) + 1
            if not self.filter(pk=pk).update(number=number) and create:
                self.bulk_create([self.model(pk=pk, number=number)], ignore_conflicts=True)


class ProgressStampManager(StampManager):
    def of(self, user_id: int) -> int:
        return self.filter(user_id=user_id).values_list("number", flat=True).first() or 0


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
        owner = of_attempt(instance, "user_id")
    except ObjectDoesNotExist:  # deleted with its attempt, whose deletion counts
        return
    ProgressStamp.objects.bump(owner, create=False)


def watch_progress(*saved_or_deleted: type[models.Model], deleted: tuple = ()) -> None:
    for model in saved_or_deleted:
        on_write(progress_changed, "progress-stamp", model)
    for model in deleted:
        on_write(progress_changed, "progress-stamp", model, saved=False)


def account_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A signal receiver: a user saved. Their name is on their teachers' pages; a
    sign-in, which only notes its time, changes nothing shown."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    ProgressStamp.objects.bump(instance.pk, create=False)


class ClassStamp(models.Model):
    """The version of a class's own rows: changed in the same transaction as each
    save or delete of the class, a membership or an assignment (signals, see
    `watch_classes`). With its students' progress stamps it versions what the
    gradebook and the class overview show (`selectors.kept`)."""

    classroom = models.OneToOneField(
        "learning.Classroom",
        on_delete=models.CASCADE,
        primary_key=True,
        verbose_name=_("class"),
    )
    number = models.BigIntegerField(_("version"), default=0)

    objects = StampManager()

    class Meta:
        verbose_name = _("class version")
        verbose_name_plural = _("class versions")

    def __str__(self) -> str:
        return str(self.number)


class QuizStamp(models.Model):
    """The version of a quiz's finished attempts: changed in the same transaction
    as an attempt of it closed, regraded, overridden or deleted, so the question
    statistics kept under it are never stale (`selectors.kept`)."""

    quiz = models.OneToOneField(
        "learning.Quiz", on_delete=models.CASCADE, primary_key=True, verbose_name=_("quiz")
    )
    number = models.BigIntegerField(_("version"), default=0)

    objects = StampManager()

    class Meta:
        verbose_name = _("quiz results version")
        verbose_name_plural = _("quiz results versions")

    def __str__(self) -> str:
        return str(self.number)


def class_changed(sender, instance, **kwargs) -> None:
    """A signal receiver: a class, membership or assignment saved or deleted."""
    ClassStamp.objects.bump(getattr(instance, "classroom_id", instance.pk), create=False)


def results_changed(sender, instance, **kwargs) -> None:
    """A signal receiver: an attempt deleted, a regrade or credit override saved
    or deleted."""
    try:
        quiz_id = of_attempt(instance, "quiz_id")
    except ObjectDoesNotExist:  # deleted with its attempt, whose deletion counts
        return
    QuizStamp.objects.bump(quiz_id, create=False)


def watch_classes(user_model, *class_models: type[models.Model], results: tuple = ()) -> None:
    """Change the class stamp on every save and delete of `class_models`, the quiz
    stamp on every save and delete of the `results` (an attempt's deletion only:
    its close is the attempt service's), the progress stamp on a user's save."""
    post_save.connect(account_changed, sender=user_model, dispatch_uid="progress-stamp-user")
    for model in class_models:
        on_write(class_changed, "class-stamp", model)
    for model, saved in results:
        on_write(results_changed, "quiz-stamp", model, saved=saved)
