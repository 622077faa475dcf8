"""How a change to a game reaches the event streams.

The game's state is in the database; what travels is only "game N changed"
(a new version, or a new answer for the projector's count). With `REDIS_URL`
set, a change is sent through Django Channels' channel layer on Redis
(channels-redis) to every event-stream process on every machine.
Without it (one machine), `publish` does nothing: the one event-stream process
watches the games its phones follow (one indexed read per game every
`WATCH_INTERVAL`, however many phones follow it) and fans out in process.

A phone's stream is opened with a signed token naming its player (`stream_token`),
so that the stream process can send the phone each new question itself, and note
when it did, instead of every phone asking the site for it at the same moment.
"""

from django.conf import settings
from django.core import signing

WATCH_INTERVAL = 0.1
# How long a phone is known as its player: its rejoin cookie, its stream token.
PLAYER_AGE = 12 * 3600
_SALT = "learning.live.stream"


def stream_token(game_id: int, player_id: int) -> str:
    """What a phone's page puts in its stream's address to be known as its player there."""
    return signing.dumps([game_id, player_id], salt=_SALT, compress=False)


def stream_player(game_id: int, token: str) -> int | None:
    """The player a stream token names in this game, or None (absent, forged, expired,
    or another game's)."""
    if not token:
        return None
    try:
        named_game, player_id = signing.loads(token, salt=_SALT, max_age=PLAYER_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if named_game != game_id or not isinstance(player_id, int):
        return None
    return player_id


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
