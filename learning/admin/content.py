"""Sources with their passages, and banks with their exports."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ..interchange import flashcards, gift, moodle_xml
from ..models import Bank, ExclusionGroup, Passage, Question, Source


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


def exportable(questions: QuerySet[Question]) -> QuerySet[Question]:
    return (
        questions.select_related("bank", "passage__source")
        .prefetch_related("choices")
        .order_by("bank__position", "bank__name", "id")
    )


def download(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    actions = ["export_gift", "export_moodle_xml", "export_flashcards"]

    @admin.action(description=_("Export the selected banks as GIFT"), permissions=["view"])
    def export_gift(self, request: HttpRequest, queryset: QuerySet[Bank]) -> HttpResponse:
        questions = exportable(Question.objects.filter(bank__in=queryset))
        return download(gift.dump(questions), "questions.gift.txt", "text/plain")

    @admin.action(description=_("Export the selected banks as Moodle XML"), permissions=["view"])
    def export_moodle_xml(self, request: HttpRequest, queryset: QuerySet[Bank]) -> HttpResponse:
        questions = exportable(Question.objects.filter(bank__in=queryset))
        return download(moodle_xml.dump(questions), "questions.moodle.xml", "application/xml")

    @admin.action(
        description=_("Export the selected banks as flashcards for Anki or Quizlet"),
        permissions=["view"],
    )
    def export_flashcards(self, request: HttpRequest, queryset: QuerySet[Bank]) -> HttpResponse:
        questions = exportable(Question.objects.published().filter(bank__in=queryset))
        return download(flashcards.dump(questions), "flashcards.txt", "text/tab-separated-values")
