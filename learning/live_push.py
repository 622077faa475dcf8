"""How a change to a game reaches the event streams.

The game's state is in the database; what travels is only "game N changed"
(a new version, or a new answer for the projector's count). With `REDIS_URL`
set, a change is sent through Django Channels' channel layer on Redis
(channels-redis) to every event-stream process on every machine.
Without it (one machine), `publish` does nothing: the one event-stream process
watches the games its phones follow (one indexed read per game every
`WATCH_INTERVAL`, however many phones follow it) and fans out in process.
"""

from django.conf import settings

WATCH_INTERVAL = 0.1


def group_name(game_id: int) -> str:
    return f"live.{game_id}"


def publish(game_id: int, version: int | None) -> None:
    """Announce a new version of the game (None: read it) to every stream process."""
    if not settings.CHANNEL_LAYERS:
        return
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async_to_sync(get_channel_layer().group_send)(
        group_name(game_id), {"type": "live.changed", "version": version}
    )
