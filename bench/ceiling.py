"""The load bench's ceiling: the cheapest page Django can serve through our middleware.

Routed only in the bench's own settings (bench/settings.py, bench/README.md);
every page's throughput is reported as a share of this one's.
"""

from django.http import HttpRequest, HttpResponse


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
