"""The live game's tables were built beside the students', teachers' and speed work;
this joins the migrations. It changes nothing."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0010_live'),
        ('learning', '0012_merge_speed'),
    ]

    operations = [
    ]
