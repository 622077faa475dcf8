"""Attempts and the record of regrades: the students' record, read here, never edited."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import Attempt, AttemptItem, Regrade, RegradeItem


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    extra = 0
    can_delete = False
    fields = ["position", "question", "response", "credit", "answered_at"]
    readonly_fields = fields


class RegradeInline(admin.TabularInline):
    model = Regrade
    extra = 0
    can_delete = False
    fields = ["at", "by", "reason", "old_score", "new_score", "old_max_score", "new_max_score"]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "number", "state", "score", "started_at"]
    list_filter = ["state", "quiz"]
    list_select_related = ["quiz", "user"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    inlines = [AttemptItemInline, RegradeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attempt]:
        # A teacher reads their own students' attempts, never another class's.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.of_students_taught_by(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RegradeItemInline(admin.TabularInline):
    model = RegradeItem
    extra = 0
    can_delete = False
    fields = ["item", "old_credit", "new_credit", "dropped"]
    readonly_fields = fields


@admin.register(Regrade)
class RegradeAdmin(admin.ModelAdmin):
    """Made only by the regrade workflow (the quiz's "Regrade" page)."""

    list_display = ["attempt", "at", "by", "old_score", "new_score"]
    list_filter = ["attempt__quiz"]
    list_select_related = ["attempt__quiz", "attempt__user", "by"]
    readonly_fields = [f.name for f in Regrade._meta.fields]
    inlines = [RegradeItemInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Regrade]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(attempt__in=Attempt.objects.of_students_taught_by(request.user))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
