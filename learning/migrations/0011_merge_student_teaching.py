"""The student screens (flags on attempt items) and the teaching pages were
built side by side; this joins their two migrations. It changes nothing."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0010_student'),
        ('learning', '0010_teaching'),
    ]

    operations = [
    ]
