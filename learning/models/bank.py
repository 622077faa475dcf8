"""Content: a source document, its passages, question banks, questions and choices.

Every model here has a natural key so that the fixtures in `fixtures/` load by
key, not by id: loading them twice changes nothing, and they never overwrite
a question a teacher added in the admin.
"""

import secrets
from collections.abc import Sequence

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import scoring
from .versions import ContentQuerySet


class SourceManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug: str) -> "Source":
        return self.get(slug=slug)


class Source(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # Its passages, questions and quizzes are marked up in this language, so that a
    # Chinese page presents the English statement correctly (and a reader's
    # screen reader reads it in English).
    language = models.CharField(
        _("language"),
        max_length=20,
        default="en",
        help_text=_("The language the source is written in, as a code: en, zh-Hans, ru, ar…"),
    )

    objects = SourceManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class PassageManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, source_slug: str, number: int) -> "Passage":
        return self.get(source__slug=source_slug, number=number)


class Passage(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="passages", verbose_name=_("source")
    )
    number = models.PositiveSmallIntegerField(_("paragraph number"))
    text = models.TextField(_("text"))

    objects = PassageManager()

    class Meta:
        ordering = ["source", "number"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="passage_unique_number")
        ]

    def __str__(self) -> str:
        return f"¶{self.number} {Truncator(self.text).words(8)}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.source.natural_key(), self.number)

    natural_key.dependencies = ["learning.source"]


class BankManager(models.Manager["Bank"]):
    def get_by_natural_key(self, slug: str) -> "Bank":
        return self.get(slug=slug)


class Bank(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = BankManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class QuestionQuerySet(ContentQuerySet):
    def published(self) -> "QuestionQuerySet":
        return self.filter(published=True)

    def with_usage(self) -> "QuestionQuerySet":
        """Annotate how often each question was answered and its facility (mean
        credit of those answers), in the same query as the questions."""
        answered = models.Q(attempt_items__answered_at__isnull=False)
        return self.annotate(
            times_answered=models.Count("attempt_items", filter=answered),
            facility=models.Avg("attempt_items__credit", filter=answered),
        )

    def with_citations(self) -> "QuestionQuerySet":
        """With every cited paragraph and its source, as the review quotes them."""
        return self.select_related("passage__source").prefetch_related(self.citations())

    @staticmethod
    def citations(through: str = "") -> models.Prefetch:
        """The prefetch of a question's other cited paragraphs, with their source;
        `through` the path to the question ("question__" from attempt items)."""
        return models.Prefetch(
            f"{through}also_cites", queryset=Passage.objects.select_related("source")
        )

    def get_by_natural_key(self, ref: str) -> "Question":
        return self.get(ref=ref)


# The limits of a question's weight, kept by the model and by every importer.
WEIGHT_MIN, WEIGHT_MAX = 1, 100


def new_question_ref() -> str:
    return f"q-{secrets.token_hex(4)}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple response")
        TRUE_FALSE = "true_false", _("True or false")
        SHORT = "short", _("Short answer")
        ORDERING = "ordering", _("Ordering")
        MATCHING = "matching", _("Matching")

    class Difficulty(models.IntegerChoices):
        RECALL = 1, _("1 · recall a named fact")
        CONNECT = 2, _("2 · connect two facts")
        DISTINGUISH = 3, _("3 · tell apart close statements")

    ref = models.SlugField(
        _("reference"),
        max_length=80,
        unique=True,
        default=new_question_ref,
        help_text=_("A stable name for this question, used by imports and exports."),
    )
    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="questions", verbose_name=_("bank")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prompt = models.TextField(_("prompt"))
    # Both may be empty while the question is a draft (an imported Moodle file
    # often has no general feedback); publishing requires them (publish_problems).
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_(
            "Why the answer is right and where the text says so. Needed before publishing."
        ),
    )
    passage = models.ForeignKey(
        Passage,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("passage"),
        null=True,
        blank=True,
        help_text=_("The paragraph the question comes from. Needed before publishing."),
    )
    also_cites = models.ManyToManyField(
        Passage,
        blank=True,
        related_name="also_cited_by",
        verbose_name=_("also cites"),
        help_text=_("Other paragraphs the question draws on; the review quotes them all."),
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.RECALL
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)],
    )
    # Drafts by default: a half-written or imported question reaches no student,
    # deck or statistic until a teacher publishes it.
    published = models.BooleanField(_("published"), default=False)
    exact_answer = models.BooleanField(
        _("exact answer"),
        default=False,
        help_text=_(
            "Short answer only: accept only the accepted answers as written (case, spacing and "
            "punctuation aside), with none of the lenient rules for articles, plurals, dates, "
            "names, typos or words around the key in the text."
        ),
    )
    paraphrase_note = models.TextField(
        _("paraphrase note"),
        blank=True,
        help_text=_("Why the key paraphrases the text instead of quoting it, when it does."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["bank", "published"])]

    def __str__(self) -> str:
        return Truncator(self.prompt).chars(80)

    def get_absolute_url(self) -> str:
        return reverse("admin:learning_question_change", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.ref,)

    natural_key.dependencies = ["learning.passage", "learning.bank"]

    def grade(self, choices: "Sequence[Choice]", response: dict) -> float:
        """The credit of a response by this question's key: the one place a
        stored answer is graded (attempts, the admin's preview). A short answer
        is compared with the paragraphs the question cites (scoring.short_match)."""
        options = [c.as_option() for c in choices]
        if self.kind != self.Kind.SHORT:
            return scoring.grade(self.kind, options, response)
        passages = [p.text for p in self.cited_passages()]
        return scoring.grade(
            self.kind, options, response, exact=self.exact_answer, passages=passages
        )

    def short_match(self, choices: "Sequence[Choice]", text: str) -> scoring.Match | None:
        """Which accepted answer a short answer matched, and whether leniently."""
        options = [c.as_option() for c in choices]
        passages = [p.text for p in self.cited_passages()]
        return scoring.short_match(options, text, exact=self.exact_answer, passages=passages)

    @property
    def language(self) -> str:
        """The language of the text it cites, for the page's `lang` ("" without a
        passage). Read where the page loaded `passage__source` with the question."""
        return self.passage.source.language if self.passage_id else ""

    def cited_passages(self) -> list[Passage]:
        """Every paragraph the question cites, in the text's order (with
        `also_cites` prefetched, no query)."""
        cited = [self.passage] if self.passage is not None else []
        # A question not saved yet (the admin's "try an answer" on the add page) has no others.
        also = list(self.also_cites.all()) if self.pk else []
        return sorted([*cited, *also], key=lambda p: (p.source_id, p.number))

    @property
    def needs_explanation(self) -> bool:
        return not self.explanation.strip()

    def publish_problems(self) -> list[str]:
        """What keeps this question from being published; empty if nothing."""
        problems = []
        if self.needs_explanation:
            problems.append(_("It needs an explanation: why the answer is right."))
        if self.passage_id is None:
            problems.append(_("It needs the passage it cites."))
        return [str(p) for p in problems]


class ExclusionGroupManager(models.Manager["ExclusionGroup"]):
    def get_by_natural_key(self, name: str) -> "ExclusionGroup":
        return self.get(name=name)


class ExclusionGroup(models.Model):
    """Questions that give each other away (one's option or prompt states
    another's key): an attempt never holds two of one group."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    questions = models.ManyToManyField(
        Question, related_name="exclusion_groups", verbose_name=_("questions")
    )

    objects = ExclusionGroupManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("exclusion group")
        verbose_name_plural = _("exclusion groups")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    natural_key.dependencies = ["learning.question"]


class ChoiceManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, question_ref: str, text: str) -> "Choice":
        return self.get(question__ref=question_ref, text=text)


class Choice(models.Model):
    """One option of a question; what its fields mean depends on the question's kind.

    single choice, multiple response, true/false: `text` is the option, `credit` its
    fraction of the mark (1 right, 0 or negative wrong). Short answer: `text` is an
    accepted answer worth `credit`. Ordering: `text` is an item, `position` its
    place (1..n). Matching: `text` is the left-hand item, `match` its partner.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    text = models.CharField(_("text"), max_length=500)
    credit = models.FloatField(
        _("credit"), default=0, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(_("correct position"), null=True, blank=True)
    match = models.CharField(_("matches"), max_length=500, blank=True)

    objects = ChoiceManager()

    class Meta:
        # The column, not the relation: ordering by "question" would join the
        # question and its bank to every read of one question's choices.
        ordering = ["question_id", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="choice_unique_text")
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)

    def natural_key(self) -> tuple[str, str]:
        return (*self.question.natural_key(), self.text)

    natural_key.dependencies = ["learning.question"]

    def as_option(self, id: int | None = None) -> scoring.Option:
        """The choice as grading takes it; `id` names a choice not saved yet."""
        return scoring.Option(
            id=self.id if id is None else id,
            text=self.text,
            credit=self.credit,
            position=self.position,
            match=self.match,
        )
