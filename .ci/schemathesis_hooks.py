"""Schemathesis hooks for Trellis (loaded by .ci/api_fuzz.py through SCHEMATHESIS_HOOKS).

- The HR import endpoints take a CSV file as `text/csv`, and the ESCO upload a zip as
  `application/zip`; schemathesis has no serializer for either.
- Schemathesis fills the security schemes' parameters with generated values, control
  characters included (`Authorization: Bearer \\b`). A header holding one is not HTTP: the
  server's HTTP parser answers a bare 400 before Trellis sees the request, so such cases test
  nothing of Trellis and are not sent.
- The caller's credentials are set as schemathesis auth (so its `ignored_auth` check can take
  them away and expect 401): the session cookie and CSRF token (TRELLIS_FUZZ_SESSION,
  TRELLIS_FUZZ_CSRF), or a bearer token (TRELLIS_FUZZ_TOKEN). A session caller sends no
  generated bearer token: with one, Trellis authenticates the token instead (as documented),
  and every case would test the token instead of the caller.
"""

import os

import schemathesis

SESSION = os.environ.get("TRELLIS_FUZZ_SESSION")
CSRF = os.environ.get("TRELLIS_FUZZ_CSRF")
TOKEN = os.environ.get("TRELLIS_FUZZ_TOKEN")


@schemathesis.auth()
class Caller:
    def get(self, case, context):
        return True

    def set(self, case, data, context):
        headers = dict(case.headers or {})
        cookies = dict(case.cookies or {})
        if TOKEN:
            headers["Authorization"] = f"Bearer {TOKEN}"
            cookies.pop("trellis_session", None)
        else:
            headers.pop("Authorization", None)
            headers["X-CSRF-Token"] = CSRF
            cookies["trellis_session"] = SESSION
        case.headers = headers
        case.cookies = cookies


@schemathesis.serializer("text/csv")
class CsvSerializer:
    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        return {"data": ("" if value is None else str(value)).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)


@schemathesis.serializer("application/zip")
class ZipSerializer:
    """The ESCO upload (`POST /hr/esco`) takes the export's zip; generated bodies (byte lists
    or text) are sent as raw bytes, and Trellis must refuse them with a 422."""

    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        if isinstance(value, list):
            return {"data": bytes(v % 256 for v in value if isinstance(v, int))}
        return {"data": ("" if value is None else str(value)).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)


def is_http(value):
    return all(c == "\t" or " " <= c <= "~" or "\x80" <= c <= "\xff" for c in str(value))


@schemathesis.hook
def filter_headers(context, headers):
    return headers is None or all(is_http(v) for v in headers.values())


@schemathesis.hook
def map_headers(context, headers):
    if headers is not None and not TOKEN:
        headers.pop("Authorization", None)
    return headers
