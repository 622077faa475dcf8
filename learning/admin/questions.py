"""Questions: the kind first, then a form made for it; preview, publish, actions, import."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..interchange import gift, moodle_xml
from ..models import AttemptItem, Bank, Question
from .content import download, exportable
from .kind_forms import FORMS
from .question_pages import QuestionPages

Kind = Question.Kind


class MoveToBankForm(forms.Form):
    bank = forms.ModelChoiceField(queryset=Bank.objects.all(), label=_("Move to bank"))


class NeedsExplanationFilter(admin.SimpleListFilter):
    title = _("explanation")
    parameter_name = "explained"

    def lookups(self, request, model_admin):
        return [("no", _("Needs an explanation")), ("yes", _("Explained"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(explanation="")
        if self.value() == "yes":
            return queryset.exclude(explanation="")
        return queryset


@admin.register(Question)
class QuestionAdmin(QuestionPages, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "bank",
        "status",
        "times_answered",
        "facility_display",
        "preview_link",
    ]
    list_filter = ["published", NeedsExplanationFilter, "bank", "kind", "difficulty"]
    search_fields = ["prompt", "explanation", "ref"]
    list_select_related = ["bank"]
    readonly_fields = ["kind_display", "status", "preview_link"]
    actions = ["publish", "unpublish", "duplicate", "move_to_bank", "export_gift", "export_xml"]
    change_form_template = "admin/learning/question/change_form.html"
    # Save on top: the first button of the form is the one Enter presses, and
    # the "try an answer" button further down must not be it.
    save_on_top = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).with_usage()

    # Columns and read-only fields.

    @admin.display(description=_("times answered"), ordering="times_answered")
    def times_answered(self, question: Question) -> int:
        return question.times_answered

    @admin.display(description=_("facility"), ordering="facility")
    def facility_display(self, question: Question) -> str:
        if question.facility is None:
            return "—"
        return f"{question.facility:.2f}"

    @admin.display(description=_("status"), ordering="published")
    def status(self, question: Question) -> str:
        if question.published:
            return _("Published")
        if question.pk and question.needs_explanation:
            return _("Draft · needs an explanation")
        return _("Draft")

    @admin.display(description=_("kind"))
    def kind_display(self, question: Question) -> str:
        return question.get_kind_display()

    @admin.display(description=_("preview"))
    def preview_link(self, question: Question) -> str:
        if not question.pk:
            return "—"
        url = reverse("admin:learning_question_preview", args=[question.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    # The form of the question's kind.

    def kind_for(self, request: HttpRequest, obj: Question | None) -> str | None:
        if obj is not None:
            return obj.kind
        kind = request.GET.get("kind", "")
        return kind if kind in Kind.values else None

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None):
        kind = self.kind_for(request, obj)
        first = ["kind_display", "status", "bank", "ref", "prompt"]
        if kind == Kind.SHORT:
            first.append("exact_answer")
        return [
            (None, {"fields": first}),
            (
                _("Explanation and source"),
                {
                    "fields": ["explanation", "passage", "also_cites", "paraphrase_note"],
                    "description": _(
                        "Needed before the question is published, not before you save a draft."
                    ),
                },
            ),
            (_("Marking"), {"fields": ["difficulty", "weight"]}),
        ]

    def get_form(self, request: HttpRequest, obj: Question | None = None, change=False, **kwargs):
        kind = self.kind_for(request, obj)
        if kind is None:
            raise Http404
        kwargs["form"] = FORMS[kind]
        return super().get_form(request, obj, change=change, **kwargs)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """First the kind, as in Moodle; then the form made for it."""
        if self.kind_for(request, None) is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            context = {
                **self.admin_site.each_context(request),
                "title": _("Add a question: choose its kind"),
                "opts": self.model._meta,
                "kinds": [(kind, label, FORMS[kind].help) for kind, label in Kind.choices],
            }
            status = 400 if "kind" in request.GET else 200
            return TemplateResponse(
                request, "admin/learning/question/choose_kind.html", context, status=status
            )
        return super().add_view(request, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_try" in request.POST:
            return self.try_view(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["answers"] = context["adminform"].form
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change) -> None:
        obj.kind = form.kind
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.question_choices_set(question=form.instance, choices=form.unsaved_choices())

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return redirect("admin:learning_question_preview", obj.pk)
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            return redirect(f"{reverse('admin:learning_question_add')}?kind={obj.kind}")
        return response

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return redirect("admin:learning_question_preview", obj.pk)
        return super().response_change(request, obj)

    def try_view(self, request: HttpRequest, object_id: str | None) -> HttpResponse:
        """Grade the "try an answer" box by the answers typed in the form, through
        the attempts' own grading, and show the form again; nothing is saved."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404
        add = obj is None
        allowed = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(
            request, obj, change=not add, fields=flatten_fieldsets(fieldsets)
        )
        form = form_class(request.POST, instance=obj or self.model())
        tried = None
        if form.is_valid() and form.kind == Kind.SHORT:
            question = form.instance
            item = AttemptItem(question=question, position=1)
            given = form.cleaned_data.get("try_answer", "").strip()
            services.preview_answer(
                question=question,
                item=item,
                response={"text": given},
                choices=form.unsaved_choices(),
            )
            tried = {"text": given, "percent": round(100 * item.credit, 1)}
        readonly = self.get_readonly_fields(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), self.get_prepopulated_fields(request, obj), readonly, self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add question") if add else _("Change question"),
            "subtitle": None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "tried": tried,
        }
        return self.render_change_form(request, context, add=add, change=not add, obj=obj)

    # Actions.

    @admin.action(description=_("Publish the selected questions…"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]):
        return self._publish(request, list(queryset))

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
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/learning/question/move_to_bank.html", context)

    @admin.action(description=_("Export the selected questions as GIFT"), permissions=["view"])
    def export_gift(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        return download(gift.dump(exportable(queryset)), "questions.gift.txt", "text/plain")

    @admin.action(
        description=_("Export the selected questions as Moodle XML"), permissions=["view"]
    )
    def export_xml(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        text = moodle_xml.dump(exportable(queryset))
        return download(text, "questions.moodle.xml", "application/xml")
