"""Quizzes: settings a teacher reads correctly, accommodations, and regrading."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..ids import parse_id
from ..models import Accommodation, Classroom, Question, Quiz
from ..services.regrade import Adjustment

# A week: longer is a typing slip, not an exam.
MINUTES_MAX = 7 * 24 * 60


class MinutesInput(forms.NumberInput):
    template_name = "admin/learning/widgets/minutes.html"


class MinutesField(forms.IntegerField):
    """A duration typed as whole minutes: "20" is twenty minutes, not seconds."""

    widget = MinutesInput

    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            max_value=MINUTES_MAX,
            error_messages={
                "min_value": _("A time limit is at least one minute; leave it empty for none."),
                "max_value": _("A time limit is at most a week (%(limit_value)s minutes)."),
                "invalid": _("Give the time limit in whole minutes."),
            },
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return int(value.total_seconds() // 60)
        return value

    def clean(self, value):
        minutes = super().clean(value)
        return None if minutes is None else timedelta(minutes=minutes)


def moment_field(label) -> forms.DateTimeField:
    """One labelled date-and-time input: the admin's split widget leaves its two
    inputs without labels for screen readers."""
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _zone_help() -> str:
    return _("In the school's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}


class QuizAdminForm(forms.ModelForm):
    time_limit = MinutesField(
        label=_("Time limit"), required=False, help_text=_("In minutes; empty for no limit.")
    )
    opens_at = moment_field(_("Opens"))
    closes_at = moment_field(_("Closes"))
    new_password = forms.CharField(
        label=_("Access password"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Students type it to start an exam sitting. Leave empty to keep the current one."
        ),
    )
    clear_password = forms.BooleanField(label=_("Remove the access password"), required=False)

    class Meta:
        model = Quiz
        fields = [
            "title",
            "slug",
            "description",
            "published",
            "position",
            "banks",
            "question_count",
            "shuffle_questions",
            "shuffle_choices",
            "time_limit",
            "opens_at",
            "closes_at",
            "attempts_allowed",
            "grading_method",
            "pass_mark",
            "feedback_timing",
        ]
        # Tick boxes: a school has a handful of banks, and the admin's two-list
        # filter widget carries ARIA attributes screen readers reject.
        widgets = {"banks": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = _zone_help()
        if self.instance.has_password:
            self.fields["new_password"].help_text = _(
                "This quiz has an access password. Type a new one to change it."
            )

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
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The quiz must close after it opens."))
        if cleaned.get("new_password") and cleaned.get("clear_password"):
            self.add_error("clear_password", _("Either type a new password or remove it."))
        return cleaned

    def save(self, commit=True):
        quiz = super().save(commit=False)
        if self.cleaned_data.get("clear_password"):
            quiz.access_password = ""
        elif self.cleaned_data.get("new_password"):
            quiz.access_password = services.password_hash(self.cleaned_data["new_password"])
        if commit:
            quiz.save()
            self.save_m2m()
        return quiz


class AccommodationForm(forms.ModelForm):
    closes_at = moment_field(_("Closes later at"))

    class Meta:
        model = Accommodation
        fields = [
            "student",
            "classroom",
            "time_factor",
            "extra_minutes",
            "extra_attempts",
            "closes_at",
        ]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("student")) == bool(cleaned.get("classroom")):
            raise forms.ValidationError(_("Choose one student or one class, not both."))
        return cleaned


class AccommodationInline(admin.StackedInline):
    model = Accommodation
    form = AccommodationForm
    extra = 0
    verbose_name_plural = _("Accommodations: more time, more attempts, a later close")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A teacher picks among the students of their own classes, and their classes.
        if db_field.name == "student":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(memberships__classroom__teacher=request.user)
                .distinct()
                .order_by("username")
            )
        elif db_field.name == "classroom":
            kwargs["queryset"] = Classroom.objects.taught_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["closes_at"].help_text = _(
            "A later close time for them. %(zone)s"
        ) % {"zone": _zone_help()}
        return formset


class QuizPositionForm(forms.ModelForm):
    """The list's position box, named for screen readers after its quiz."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].widget.attrs["aria-label"] = _("Position of “%(quiz)s”") % {
            "quiz": self.instance
        }
        self.fields["position"].widget.attrs["class"] = "vSmallField"


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizAdminForm
    list_display = [
        "title",
        "position",
        "question_count",
        "time_limit_display",
        "attempts_allowed",
        "pass_mark",
        "published",
        "regrade_link",
    ]
    list_editable = ["position"]
    list_filter = ["published", "feedback_timing", "grading_method"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [AccommodationInline]
    change_form_template = "admin/learning/quiz/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "published", "position"]}),
        (
            _("Questions"),
            {"fields": ["banks", "question_count", "shuffle_questions", "shuffle_choices"]},
        ),
        (
            _("Timing and access"),
            {
                "fields": [
                    "time_limit",
                    "opens_at",
                    "closes_at",
                    "new_password",
                    "clear_password",
                ]
            },
        ),
        (
            _("Rules"),
            {"fields": ["attempts_allowed", "grading_method", "pass_mark", "feedback_timing"]},
        ),
    ]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", QuizPositionForm)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description=_("time limit"), ordering="time_limit")
    def time_limit_display(self, quiz: Quiz) -> str:
        if quiz.time_limit is None:
            return "—"
        minutes = int(quiz.time_limit.total_seconds() // 60)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}

    @admin.display(description=_("regrade"))
    def regrade_link(self, quiz: Quiz) -> str:
        url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
        return format_html('<a href="{}">{}</a>', url, _("Regrade…"))

    def get_urls(self):
        regrade = path(
            "<int:pk>/regrade/",
            self.admin_site.admin_view(self.regrade_view),
            name="learning_quiz_regrade",
        )
        return [regrade, *super().get_urls()]

    def _adjustment(self, request: HttpRequest, quiz: Quiz) -> Adjustment:
        """The adjustment the page was asked for: ?accept=QUESTION&text=… or ?drop=QUESTION,
        of a question this quiz draws from (404 otherwise)."""
        source = request.POST if request.method == "POST" else request.GET
        pool = Question.objects.filter(bank__quizzes=quiz)
        if source.get("accept"):
            question_id = parse_id(source["accept"])
            question = get_object_or_404(pool.prefetch_related("choices"), pk=question_id)
            return Adjustment(accept=question, text=source.get("text", "")[:500])
        if source.get("drop"):
            question = get_object_or_404(pool, pk=parse_id(source["drop"]))
            return Adjustment(drop=question)
        return Adjustment()

    def regrade_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The dry run (GET) and the regrade it shows (POST), Moodle's way."""
        quiz = get_object_or_404(Quiz, pk=pk)
        if not self.has_change_permission(request, quiz):
            raise PermissionDenied
        adjustment = self._adjustment(request, quiz)
        problem, status = "", 200
        if request.method == "POST":
            try:
                plan = services.quiz_regrade(
                    quiz=quiz,
                    by=request.user,
                    fingerprint=request.POST.get("fingerprint", ""),
                    adjustment=adjustment,
                )
            except services.Refused as refusal:
                problem, status = str(refusal), 409
            else:
                count = len(plan.changes)
                self.message_user(
                    request,
                    ngettext("%d attempt regraded.", "%d attempts regraded.", count) % count,
                    messages.SUCCESS,
                )
                return redirect("admin:learning_quiz_regrade", quiz.pk)
        try:
            plan = services.regrade_preview(quiz=quiz, adjustment=adjustment)
        except services.Refused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect("admin:learning_quiz_regrade", quiz.pk)
        questions = (
            Question.objects.filter(attempt_items__attempt__quiz=quiz)
            .exclude(dropped_from=quiz)
            .distinct()
            .order_by("bank__position", "id")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Regrade “%(quiz)s”") % {"quiz": quiz},
            "opts": self.model._meta,
            "original": quiz,
            "quiz": quiz,
            "plan": plan,
            "adjustment": adjustment,
            "problem": problem,
            "questions": questions,
            "dropped": quiz.dropped_questions.all(),
        }
        return TemplateResponse(request, "admin/learning/quiz/regrade.html", context, status=status)
