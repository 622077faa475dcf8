"""The speed work (content versions, progress stamps) was built beside the students' and
teachers' pages; this joins the migrations. It changes nothing."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0011_merge_student_teaching'),
        ('learning', '0011_speed'),
    ]

    operations = [
    ]
