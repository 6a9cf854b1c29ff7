"""Schemathesis hooks for Trellis (loaded by .ci/schemathesis.py through SCHEMATHESIS_HOOKS).

The HR import endpoints take a CSV file as `text/csv`; schemathesis has no serializer for it.
"""

import schemathesis


@schemathesis.serializer("text/csv")
class CsvSerializer:
    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        return {"data": ("" if value is None else str(value)).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)
