"""The question admin's pages of its own: import, preview (with the right answers
filled in on request) and publish (with its confirmation for running quizzes)."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import scoring, services
from ..forms import AnswerForm, ImportForm
from ..interchange import ImportProblem, parser_for
from ..models import Question
from ..presenters import ItemView


class QuestionPages:
    """Mixed into QuestionAdmin, before ModelAdmin."""

    def get_urls(self):
        def view(route, func, name):
            return path(route, self.admin_site.admin_view(func), name=f"learning_question_{name}")

        return [
            view("<int:pk>/preview/", self.preview_view, "preview"),
            view("<int:pk>/publish/", self.publish_view, "publish"),
            view("import/", self.import_view, "import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a GIFT, Moodle XML or CSV file: every question is stored, as a
        draft, or none."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    parser = parser_for(data["file"].name, data["format"])
                    created = services.questions_import(
                        parsed=parser.parse(data["text"]),
                        bank=data["bank"],
                        passage=data["passage"],
                    )
                except ImportProblem as problem:
                    form.add_error("file", str(problem))
                else:
                    count = len(created)
                    unexplained = sum(1 for q in created if q.needs_explanation)
                    message = ngettext(
                        "%(n)d question imported as a draft.",
                        "%(n)d questions imported as drafts.",
                        count,
                    ) % {"n": count}
                    if unexplained:
                        message += " " + ngettext(
                            "%(n)d needs an explanation before it can be published.",
                            "%(n)d need an explanation before they can be published.",
                            unexplained,
                        ) % {"n": unexplained}
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(
                        f"{reverse('admin:learning_question_changelist')}?published__exact=0"
                    )
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
        """The question as a student sees it and, once answered, its feedback;
        ?fill=1 fills in the right answers. Nothing is stored."""
        question = get_object_or_404(
            Question.objects.with_citations().prefetch_related("choices"), pk=pk
        )
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        item = services.preview_item(question=question)
        all_choices = list(question.choices.all())
        layout = ItemView.build(item, all_choices, reveal=False)
        data = request.POST if request.method == "POST" else None
        if data is None and request.GET.get("fill") and all_choices:
            data = AnswerForm.data_for(
                kind=question.kind,
                choices=layout.choices,
                options=layout.options,
                response=scoring.key_response(question.kind, [c.as_option() for c in all_choices]),
            )
        form = AnswerForm(data, question=question, choices=layout.choices, options=layout.options)
        view, status = layout, 200
        if request.method == "POST":
            if form.is_valid():
                services.preview_answer(question=question, item=item, response=form.response())
                view, form = ItemView.build(item, all_choices, reveal=True), None
            else:
                status = 400
        context = {
            "question": question,
            "view": view,
            "form": form,
            "can_publish": not question.published and self.has_change_permission(request),
        }
        return TemplateResponse(request, "learning/question_preview.html", context, status=status)

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Publish one draft: its problems, or the running quizzes it would join
        (to confirm), or done."""
        question = get_object_or_404(Question, pk=pk)
        if not self.has_change_permission(request, question):
            raise PermissionDenied
        return self._publish(request, [question], single=question)

    def _publish(self, request: HttpRequest, questions, single: Question | None = None):
        now = timezone.now()
        problem, status = "", 200
        if request.method == "POST" and "confirm_publish" in request.POST:
            try:
                count = services.questions_publish(
                    questions=questions, confirmed=request.POST.get("confirmed") == "1", now=now
                )
            except services.ConfirmationNeeded as refusal:
                problem, status = str(refusal), 409
            except services.NotPublishable as refusal:
                problem, status = str(refusal), 400
            else:
                self.message_user(
                    request,
                    ngettext("%d question published.", "%d questions published.", count) % count,
                    messages.SUCCESS,
                )
                if single is not None:
                    return redirect("admin:learning_question_change", single.pk)
                return None
        blocking = [(q, q.publish_problems()) for q in questions if q.publish_problems()]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish questions"),
            "opts": self.model._meta,
            "questions": questions,
            "single": single,
            "blocking": blocking,
            "running": services.quizzes_affected(
                questions=[q for q in questions if not q.published], now=now
            ),
            "problem": problem,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/learning/question/publish.html", context, status=status
        )
