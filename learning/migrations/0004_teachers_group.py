"""The "Teachers" group: exactly the permissions to manage content, quizzes and classes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEACHERS = "Teachers"
MODELS = [
    "source",
    "passage",
    "bank",
    "question",
    "choice",
    "quiz",
    "classroom",
    "membership",
    "assignment",
]
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; make them
    # now so that the group can hold them on a fresh database.
    for label in ("auth", "contenttypes", "learning"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="learning", codename__in=codenames)
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TEACHERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_classrooms"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
