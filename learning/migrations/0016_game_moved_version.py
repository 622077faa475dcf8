"""`Game.moved_version`: the version of a game's last move, so that a player's arrival
no longer makes the host's control stale (see `services.live.game_control`)."""

from django.db import migrations, models
from django.db.models import F


def from_version(apps, schema_editor):
    # A game under way at the upgrade: its last move is taken to be its latest change.
    apps.get_model("learning", "Game").objects.update(moved_version=F("version"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0015_stamps")]

    operations = [
        migrations.AddField(
            model_name="game",
            name="moved_version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(from_version, migrations.RunPython.noop),
    ]
