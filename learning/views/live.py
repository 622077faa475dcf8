"""The live game's pages: the host's projector and controls, the phones' join and
play pages, and the teacher's report. Event streams are not here: they are served
by the ASGI process (`quizsite/live_asgi.py`)."""

import csv
import io

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import live_push, services
from ..forms import AnswerForm
from ..live_forms import GameForm, JoinForm
from ..models import Game
from ..roles import is_teacher, teacher_required
from ..selectors import live as selectors
from ..selectors import live_summary
from ..services import live

COOKIE_AGE = live_push.PLAYER_AGE


def _cookie(game_id: int) -> str:
    return f"live_{game_id}"


def _host_game(request: HttpRequest, pk: int) -> Game:
    """The signed-in teacher's own game, or 404: no other teacher or player controls it."""
    game = get_object_or_404(Game, pk=pk, host=request.user)
    live.game_close_if_due(game=game)
    return game


def _stream(request: HttpRequest, game: Game, player=None) -> dict:
    """Where the page opens the game's event stream (see LIVE_EVENTS_PORT). A phone's
    names its player and language, for the questions the stream sends it itself."""
    path = f"/live/events/{game.pk}/"
    if player is not None:
        query = {"p": live_push.stream_token(game.pk, player.pk), "lang": get_language()}
        path += "?" + urlencode(query)
    if not settings.LIVE_EVENTS_PORT:
        return {"events_url": path, "events_origin": ""}
    host = split_domain_port(request.get_host())[0]
    host = f"[{host}]" if ":" in host else host
    origin = f"{request.scheme}://{host}:{settings.LIVE_EVENTS_PORT}"
    return {"events_url": origin + path, "events_origin": origin}


def _render(request, template, context, status=200) -> HttpResponse:
    """A live page, allowed to open its event stream when that is on another port."""
    response = render(request, template, context, status=status)
    if context.get("events_origin"):
        response._csp_update = {"connect-src": [context["events_origin"]]}
    return response


@teacher_required
def live_new(request: HttpRequest) -> HttpResponse:
    form = GameForm(request.POST or None, initial={"quiz": request.GET.get("quiz")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            game = live.game_create(host=request.user, **data)
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            return redirect("learning:live_host", pk=game.pk)
    status = 400 if form.errors else 200
    return render(request, "learning/live_new.html", {"form": form}, status=status)


@teacher_required
def live_host(request: HttpRequest, pk: int) -> HttpResponse:
    return _host_screen(request, _host_game(request, pk))


def _host_screen(request: HttpRequest, game: Game) -> HttpResponse:
    """The projector's page, or only its panel for the page's script."""
    context = selectors.host_view(game, timezone.now()) | _stream(request, game)
    context["join_url"] = request.build_absolute_uri(reverse("learning:live_join"))
    template = (
        "learning/live_host_panel.html" if _wants_panel(request) else "learning/live_host.html"
    )
    return _render(request, template, context)


@teacher_required
@require_POST
def live_control(request: HttpRequest, pk: int) -> HttpResponse:
    game = _host_game(request, pk)
    action = request.POST.get("action", "")
    if action not in (*live.ACTIONS, "remove"):
        return HttpResponse(_("Unknown action."), status=400)
    try:
        version = int(request.POST.get("version", ""))
        if action == "remove":
            live.player_remove(game=game, player_id=int(request.POST.get("player", "")))
        else:
            live.game_control(game=game, action=action, version=version)
    except ValueError:
        return HttpResponse(_("Unknown action."), status=400)
    except services.Refused:
        pass  # Stale or over: the page shows where the game is now.
    if _wants_panel(request):
        # The page's script shows the new view from this answer, without a second
        # request (the moment a whole school presses Start is when that counts).
        if action == "remove":
            game.refresh_from_db()
        return _host_screen(request, game)
    return redirect(reverse("learning:live_host", args=[game.pk]) + "?" + request.GET.urlencode())


@login_required
def live_team(request: HttpRequest, pk: int) -> HttpResponse:
    """The host moves a player into a team (in the lobby); 404 for anyone else, a
    student as another teacher, whatever the method: the game is not theirs."""
    if not is_teacher(request.user):
        raise Http404
    game = _host_game(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        player, team = int(request.POST.get("player", "")), int(request.POST.get("team", ""))
        live.player_set_team(game=game, player_id=player, team=team)
    except ValueError:
        return HttpResponse(services.TeamInvalid.message, status=400)
    except services.TeamInvalid as error:
        return HttpResponse(str(error), status=400)
    except services.Refused:
        pass  # The game has started: the page shows where it is now.
    return redirect(reverse("learning:live_host", args=[game.pk]) + "?" + request.GET.urlencode())


@teacher_required
def live_qr(request: HttpRequest, pk: int) -> HttpResponse:
    game = _host_game(request, pk)
    url = request.build_absolute_uri(reverse("learning:live_join")) + f"?pin={game.pin}"
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=8, dark="#000", light="#fff", title=url)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@teacher_required
def live_report(request: HttpRequest, pk: int) -> HttpResponse:
    game = get_object_or_404(Game, pk=pk, host=request.user)
    context = {"game": game, "rows": live_summary.game_report(game)}
    context["standings"] = selectors.leaderboard(game, limit=None)
    if request.GET.get("format") != "csv":
        return render(request, "learning/live_report.html", context)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-{game.pin}-{game.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Question"), _("Prompt"), _("Answered"), _("Right"), _("Percent right")])
    for row in context["rows"]:
        prompt = row["question"].prompt
        writer.writerow([row["position"], prompt, row["answered"], row["right"], row["percent"]])
    return response


def live_join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"pin": request.GET.get("pin", "")})
    if request.method == "POST" and form.is_valid():
        game = Game.objects.joinable().filter(pin=form.cleaned_data["pin"]).first()
        try:
            if game is None:
                raise services.GameNotFound
            player = live.player_join(
                game=game, nickname=form.cleaned_data["nickname"], user=request.user
            )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            response = redirect("learning:live_play", pk=game.pk)
            response.set_signed_cookie(
                _cookie(game.pk),
                player.token,
                salt="live",
                max_age=COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    status = 400 if form.errors else 200
    return render(request, "learning/live_join.html", {"form": form}, status=status)


def _player(request: HttpRequest, pk: int):
    """The player this phone's signed cookie names in game `pk` (with its game), or None."""
    try:
        token = request.get_signed_cookie(_cookie(pk), salt="live", max_age=COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return None
    return live.player_for_token(game_id=pk, token=token)


def _wants_panel(request: HttpRequest) -> bool:
    return request.headers.get("X-Live-Panel") == "1"


def live_play(request: HttpRequest, pk: int) -> HttpResponse:
    player = _player(request, pk)
    if player is None:
        game = get_object_or_404(Game, pk=pk)
        return redirect(reverse("learning:live_join") + f"?pin={game.pin}")
    game = player.game
    live.game_close_if_due(game=game)
    if request.method == "POST":
        return _answer(request, game, player)
    return _play_page(request, game, player)


def _answer(request: HttpRequest, game: Game, player) -> HttpResponse:
    """Store the posted answer; the phone's panel (the script) or a redirect (no script)."""
    current = selectors.current_question(game)
    position = request.POST.get("position", "")
    if not _wants_panel(request) and selectors.answered_before(player, position, game.position):
        # A page without the script, reloaded after answering, sends its form again:
        # the game as it is now, not "answers are closed" above the next question.
        return redirect("learning:live_play", pk=game.pk)
    if current is None or current.revealed or position != str(game.position):
        closed = str(services.AnswersClosed.message)
        return _play_page(request, game, player, error=closed, status=409)
    form = _answer_form(current, request.POST)
    if not form.is_valid():
        return _play_page(request, game, player, form=form, status=400, current=current)
    try:
        answer = live.answer_submit(
            game=game,
            player=player,
            position=game.position,
            response=form.response(),
            game_question=current.game_question,
            choices=current.graded_with,
        )
    except services.Refused as refusal:
        game.refresh_from_db()  # another request may have closed the question
        return _play_page(request, game, player, error=str(refusal), status=409)
    if not _wants_panel(request):
        return redirect("learning:live_play", pk=game.pk)
    if game.phase != Game.Phase.QUESTION:
        return _play_page(request, game, player)  # this answer was the last: closed
    return _play_page(request, game, player, current=current, answer=answer)


def _answer_form(current, data=None) -> AnswerForm:
    """The answer form of the question on screen, laid out as the game froze it."""
    return AnswerForm(
        data, question=current.question, choices=current.choices, options=current.options
    )


def _play_page(
    request, game, player, *, form=None, error="", status=200, current=None, answer=None
) -> HttpResponse:
    """The phone's page or panel. `current` and `answer`, when the caller has them
    (an answer just stored), are not read again."""
    now = timezone.now()
    if current is None:
        current = selectors.current_question(game, tally=False)
    if answer is None and current and game.phase == Game.Phase.QUESTION:
        answer = live.question_sent(
            game=game, player=player, game_question=current.game_question, now=now
        )
    elif answer is None and game.phase == Game.Phase.REVEAL:
        answer = selectors.player_answer(game, player)
    context = selectors.player_view(game, player, answer, now, current)
    context |= _stream(request, game, player)
    unanswered = answer is None or answer.answered_at is None
    if form is None and current and not current.revealed and unanswered:
        form = _answer_form(current)
    context |= {"form": form, "error": error}
    panel = _wants_panel(request)
    template = PANEL if panel else "learning/live_play.html"
    return _render(request, template, context, status=status)


# What `pushed_views` renders (and its includes): compiled before the first stream.
PANEL, ME, RESULT = (
    "learning/live_play_panel.html",
    "learning/_live_me.html",
    "learning/_live_result.html",
)
PUSHED_TEMPLATES = (PANEL, ME, RESULT)


def pushed_views(game: Game, phones: set[tuple[int, str]], now) -> dict[tuple[int, str], dict]:
    """What the event streams send whole to each phone, by (player, language), when a
    question opens or closes; a phone not in the result fetches its view as ever.

    Opening: the phones' view of the question, rendered once per language, the same
    for everyone (no name, no points, no CSRF token: the page keeps its own line and
    adds its token) and, as on every phone before answers close, without the key (the
    stream stores the moment it sent it, `services.live.questions_sent`).
    Closing: the view of the answer and its quote, once per language, beside each
    phone's own line and result (`me`, `mine`)."""
    languages = {language for _player, language in phones}
    players = {player for player, _language in phones}
    panels = {}
    for language in languages:
        with override(language):
            current = selectors.current_question(game, tally=False)
            context = {"game": game, "current": current, "count": game.size, "pushed": True}
            context["seconds_left"] = game.seconds_left(now)
            if not current.revealed:
                context["form"] = _answer_form(current)
            panels[language] = render_to_string(PANEL, context)
    views = {}
    if game.phase == Game.Phase.QUESTION:
        playing = selectors.playing(game, players)
        for player, language in phones:
            if player in playing:
                views[player, language] = {"html": panels[language]}
                if game.teams:  # the host may have moved them in the lobby: their line
                    views[player, language]["me"] = _me(playing[player], language)
        return views
    results = selectors.results(game, players)
    for player, language in phones:
        if player not in results:
            continue
        result = results[player]
        context = {"answer": result.answer, "rank": result.rank}
        context["player_count"] = result.player_count
        with override(language):
            views[player, language] = {
                "html": panels[language],
                "me": _me(result.player, language),
                "mine": render_to_string(RESULT, context),
            }
    return views


def _me(player, language: str) -> str:
    """A phone's own line (nickname, team, points), as its page shows it."""
    with override(language):
        context = {"player": player, "team": selectors.team_name(player.team)}
        context["points"] = player.points
        return render_to_string(ME, context)
