"""Teacher authoring in the Django admin, one module per family of pages.

Teachers are staff users in the "Teachers" group, whose permissions (migrations
0004 and 0006) decide what they see here; every action declares the
permission it needs, so a teacher without it never gets the action.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import attempts, content, questions, quizzes

# The site's own name, not "Django administration": teachers live here.
admin.site.site_header = _("Quiz site · teaching")
admin.site.site_title = _("Quiz site teaching")
admin.site.index_title = _("Questions, quizzes and classes")
# The side navigation took a quarter of a 1280 px screen and cut off the
# question list's last columns; the breadcrumbs and the index lead everywhere.
admin.site.enable_nav_sidebar = False

__all__ = ["attempts", "content", "questions", "quizzes"]
