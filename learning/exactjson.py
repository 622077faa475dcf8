"""Django's JSON serializer, keeping times to the microsecond.

Django's own cuts them to milliseconds (JavaScript's precision), so a backup
restored from it would not be the data that was backed up. Django's JSON
deserializer reads these full times as they are.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import Deserializer  # noqa: F401 (a serializer module has both)


class ExactEncoder(json.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
