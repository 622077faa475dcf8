"""The health check a monitor or a load balancer polls."""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and every migration is applied, else 503.

    Says nothing about users or content, and needs no log-in."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.error("health check: the database is unreachable: %s", error)
        return JsonResponse({"database": "unreachable"}, status=503)
    if pending:
        logger.error("health check: %d migrations are not applied", len(pending))
        return JsonResponse({"database": "ok", "migrations": "pending"}, status=503)
    return JsonResponse({"database": "ok", "migrations": "ok"})
