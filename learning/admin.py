"""Teacher authoring in the Django admin."""

from django.contrib import admin

from .models import Attempt, AttemptItem, Bank, Choice, Passage, Question, Quiz, Source


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
    search_fields = ["text"]


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "bank", "difficulty", "published"]
    list_filter = ["bank", "kind", "difficulty", "published", "passage__source"]
    search_fields = ["prompt", "explanation", "ref"]
    list_select_related = ["bank"]
    autocomplete_fields = ["passage"]
    inlines = [ChoiceInline]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "question_count", "time_limit", "feedback_timing", "published"]
    list_filter = ["published", "feedback_timing"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["banks"]


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
