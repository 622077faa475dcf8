"""Teacher authoring in the Django admin.

Teachers are staff users in the "Teachers" group, whose permissions (migration
0004) decide what they see here; every action below declares the permission it
needs, so a teacher without it never gets the action.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import AnswerForm, ImportForm
from .interchange import ImportProblem, csv_import, flashcards, gift
from .models import (
    Attempt,
    AttemptItem,
    Bank,
    Choice,
    ExclusionGroup,
    Passage,
    Question,
    Quiz,
    Source,
)
from .presenters import ItemView
from .validation import choice_problems


@admin.register(ExclusionGroup)
class ExclusionGroupAdmin(admin.ModelAdmin):
    """Questions that give each other away; the draw never puts two in one attempt."""

    list_display = ["name", "size"]
    search_fields = ["name", "questions__prompt"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExclusionGroup]:
        return super().get_queryset(request).annotate(size=models.Count("questions"))

    @admin.display(description=_("questions"), ordering="size")
    def size(self, group: ExclusionGroup) -> int:
        return group.size


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "number"]
    list_filter = ["source"]
    search_fields = ["text", "=number"]
    ordering = ["source", "number"]


def _exportable(questions: QuerySet[Question]) -> QuerySet[Question]:
    return (
        questions.select_related("bank", "passage__source")
        .prefetch_related("choices")
        .order_by("bank__position", "bank__name", "id")
    )


def _download(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    actions = ["export_gift", "export_flashcards"]

    @admin.action(description=_("Export the selected banks as GIFT"), permissions=["view"])
    def export_gift(self, request: HttpRequest, queryset: QuerySet[Bank]) -> HttpResponse:
        questions = _exportable(Question.objects.filter(bank__in=queryset))
        return _download(gift.dump(questions), "questions.gift.txt", "text/plain")

    @admin.action(
        description=_("Export the selected banks as flashcards for Anki or Quizlet"),
        permissions=["view"],
    )
    def export_flashcards(self, request: HttpRequest, queryset: QuerySet[Bank]) -> HttpResponse:
        questions = _exportable(Question.objects.published().filter(bank__in=queryset))
        return _download(flashcards.dump(questions), "flashcards.txt", "text/tab-separated-values")


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    """Checks the choices together against the rules of the question's kind."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or not self.instance.kind:
            return
        # Each form's instance holds its cleaned values by now (ModelForm._post_clean).
        options = [
            form.instance.as_option(id=i)
            for i, form in enumerate(self.forms)
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        ]
        problems = choice_problems(self.instance.kind, options)
        if problems:
            raise forms.ValidationError(problems)


class ChoiceInline(admin.StackedInline):
    # Stacked, not tabular: the admin's table layout leaves the inputs without
    # labels for screen readers.
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 2


class MoveToBankForm(forms.Form):
    bank = forms.ModelChoiceField(queryset=Bank.objects.all(), label=_("Move to bank"))


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "bank",
        "difficulty",
        "published",
        "times_answered",
        "facility_display",
        "preview_link",
    ]
    list_filter = ["bank", "kind", "difficulty", "published", "passage__source"]
    search_fields = ["prompt", "explanation", "ref"]
    list_select_related = ["bank"]
    # A plain select (¶N and the first words) rather than the select2 widget,
    # which screen readers cannot name; a source has tens of passages, not thousands.
    readonly_fields = ["preview_link"]
    inlines = [ChoiceInline]
    # Tick boxes: a source has tens of paragraphs, and the admin's two-list
    # filter widget carries ARIA attributes screen readers reject.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    actions = ["publish", "unpublish", "duplicate", "move_to_bank", "export_gift"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).with_usage()

    @admin.display(description=_("times answered"), ordering="times_answered")
    def times_answered(self, question: Question) -> int:
        return question.times_answered

    @admin.display(description=_("facility"), ordering="facility")
    def facility_display(self, question: Question) -> str:
        if question.facility is None:
            return "—"
        return f"{question.facility:.2f}"

    @admin.display(description=_("preview"))
    def preview_link(self, question: Question) -> str:
        if not question.pk:
            return "—"
        url = reverse("admin:learning_question_preview", args=[question.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    def get_urls(self):
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="learning_question_preview",
        )
        upload = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="learning_question_import",
        )
        return [preview, upload, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a GIFT or CSV file: every question is stored, or none."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                parser = csv_import if data["file"].name.lower().endswith(".csv") else gift
                try:
                    created = services.questions_import(
                        parsed=parser.parse(data["text"]),
                        bank=data["bank"],
                        passage=data["passage"],
                    )
                except ImportProblem as problem:
                    form.add_error("file", str(problem))
                else:
                    count = len(created)
                    self.message_user(
                        request,
                        ngettext("%d question imported.", "%d questions imported.", count) % count,
                        messages.SUCCESS,
                    )
                    return redirect("admin:learning_question_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import questions"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/learning/question/import.html", context, status=status
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The question as a student sees it and, once answered, its feedback.
        Nothing is stored: there is no attempt behind a preview."""
        question = get_object_or_404(
            Question.objects.with_citations().prefetch_related("choices"), pk=pk
        )
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        item = services.preview_item(question=question)
        all_choices = list(question.choices.all())
        layout = ItemView.build(item, all_choices, reveal=False)
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            question=question,
            choices=layout.choices,
            options=layout.options,
        )
        view, status = layout, 200
        if request.method == "POST":
            if form.is_valid():
                services.preview_answer(question=question, item=item, response=form.response())
                view, form = ItemView.build(item, all_choices, reveal=True), None
            else:
                status = 400
        context = {"question": question, "view": view, "form": form}
        return TemplateResponse(request, "learning/question_preview.html", context, status=status)

    @admin.action(description=_("Publish the selected questions"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = queryset.update(published=True)
        self.message_user(
            request, ngettext("%d question published.", "%d questions published.", count) % count
        )

    @admin.action(description=_("Unpublish the selected questions"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = queryset.update(published=False)
        self.message_user(
            request,
            ngettext("%d question unpublished.", "%d questions unpublished.", count) % count,
        )

    @admin.action(description=_("Duplicate the selected questions"), permissions=["add"])
    def duplicate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        copies = [services.question_duplicate(question=q) for q in queryset]
        self.message_user(
            request,
            ngettext("%d copy made, unpublished.", "%d copies made, unpublished.", len(copies))
            % len(copies),
        )

    @admin.action(
        description=_("Move the selected questions to another bank"), permissions=["change"]
    )
    def move_to_bank(self, request: HttpRequest, queryset: QuerySet[Question]):
        form = MoveToBankForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = services.questions_move(questions=queryset, bank=form.cleaned_data["bank"])
            self.message_user(
                request,
                ngettext(
                    "%(n)d question moved to %(bank)s.", "%(n)d questions moved to %(bank)s.", count
                )
                % {"n": count, "bank": form.cleaned_data["bank"]},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move questions to another bank"),
            "opts": self.model._meta,
            "form": form,
            "questions": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/learning/question/move_to_bank.html", context)

    @admin.action(description=_("Export the selected questions as GIFT"), permissions=["view"])
    def export_gift(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        return _download(gift.dump(_exportable(queryset)), "questions.gift.txt", "text/plain")


class QuizAdminForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "slug",
            "description",
            "published",
            "banks",
            "question_count",
            "shuffle_questions",
            "shuffle_choices",
            "time_limit",
            "attempts_allowed",
            "grading_method",
            "pass_mark",
            "feedback_timing",
        ]
        # Tick boxes: a school has a handful of banks, and the admin's two-list
        # filter widget carries ARIA attributes screen readers reject.
        widgets = {"banks": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        banks = cleaned.get("banks")
        count = cleaned.get("question_count")
        if banks is not None and count:
            available = Question.objects.published().filter(bank__in=banks).count()
            if count > available:
                self.add_error(
                    "question_count",
                    ngettext(
                        "The chosen banks hold only %(n)d published question.",
                        "The chosen banks hold only %(n)d published questions.",
                        available,
                    )
                    % {"n": available},
                )
        return cleaned


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizAdminForm
    list_display = [
        "title",
        "question_count",
        "time_limit",
        "attempts_allowed",
        "grading_method",
        "pass_mark",
        "feedback_timing",
        "published",
    ]
    list_filter = ["published", "feedback_timing", "grading_method"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "published"]}),
        (
            _("Questions"),
            {"fields": ["banks", "question_count", "shuffle_questions", "shuffle_choices"]},
        ),
        (
            _("Rules"),
            {
                "fields": [
                    "time_limit",
                    "attempts_allowed",
                    "grading_method",
                    "pass_mark",
                    "feedback_timing",
                ]
            },
        ),
    ]


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    extra = 0
    can_delete = False
    fields = ["position", "question", "response", "credit", "answered_at"]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are the students' record: readable here, never edited."""

    list_display = ["quiz", "user", "number", "state", "score", "started_at"]
    list_filter = ["state", "quiz"]
    list_select_related = ["quiz", "user"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    inlines = [AttemptItemInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False
