#!/usr/bin/env python3
"""Fuzz a running Trellis's JSON API with schemathesis, every check on, as four callers.

    python3 .ci/api_fuzz.py BASE_URL [--examples N] [--seconds S] [--only ROLE]

Signs in as the demo company's HR admin, manager and employee (session cookie plus the
X-CSRF-Token header, as a browser would), creates a read-only API token as HR, and runs
`schemathesis run BASE_URL/api/openapi.json --checks all` once per caller. Exits 0 only when
no run found a failure. Each run is bounded: N examples per operation and S seconds of wall
clock (a run cut short by its time limit is a failure, so the bound is visible).

`tests/it/schemathesis.rs` starts the app on the demo database and calls this script;
`--install` installs the pinned versions (PINS below) when they are missing and exits 0, or
3 when pip cannot install them.
"""

import argparse
import html.parser
import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

# schemathesis 3.39 with the hypothesis of its time (later ones changed an internal it uses).
PINS = ["schemathesis==3.39.16", "hypothesis==6.127.0"]
PASSWORD = "trellis-demo"
ROLES = {
    "hr": "hr@example.com",
    "manager": "manager@example.com",
    "employee": "employee@example.com",
}


class CsrfField(html.parser.HTMLParser):
    """The first `csrf_token` hidden field of a page."""

    def __init__(self):
        super().__init__()
        self.value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrf_token" and self.value is None:
            self.value = attrs.get("value")


def csrf_of(page):
    parser = CsrfField()
    parser.feed(page)
    if not parser.value:
        raise SystemExit("no csrf_token field on the page")
    return parser.value


def sign_in(base, email):
    """The session cookie's value and its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = csrf_of(opener.open(base + "/login").read().decode())
    form = urllib.parse.urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": token}
    ).encode()
    opener.open(urllib.request.Request(base + "/login", data=form))
    csrf = csrf_of(opener.open(base + "/").read().decode())
    cookie = next((c.value for c in jar if c.name == "trellis_session"), None)
    if not cookie:
        raise SystemExit(f"signing in as {email} gave no session cookie")
    return cookie, csrf


def read_token(base, cookie, csrf):
    body = json.dumps(
        {"name": "schemathesis", "scopes": ["read"], "expires_in_days": 1}
    ).encode()
    request = urllib.request.Request(
        base + "/api/v1/hr/tokens",
        data=body,
        headers={
            "Cookie": f"trellis_session={cookie}",
            "X-CSRF-Token": csrf,
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    return json.load(urllib.request.urlopen(request))["secret"]


def installed():
    try:
        from importlib.metadata import version

        return all(version(p.split("==")[0]) == p.split("==")[1] for p in PINS)
    except Exception:
        return False


def install():
    if installed():
        return 0
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *PINS])
    return 0 if done.returncode == 0 and installed() else 3


def run(base, role, credentials, examples, seconds, report_dir):
    report = os.path.join(report_dir, f"schemathesis-{role}.xml")
    command = [
        sys.executable, "-m", "schemathesis.cli", "run",
        base + "/api/openapi.json",
        "--experimental", "openapi-3.1",
        "--checks", "all",
        "--hypothesis-max-examples", str(examples),
        "--hypothesis-deadline", "None",
        "--hypothesis-suppress-health-check", "all",
        "--hypothesis-derandomize",
        "--generation-codec", "utf-8",
        "--request-timeout", "20000",
        "--junit-xml", report,
        "--no-color",
    ]
    print(f"== schemathesis as {role}", flush=True)
    started = time.monotonic()
    try:
        env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks")
        env.update(credentials)
        env["PYTHONPATH"] = os.path.dirname(os.path.abspath(__file__))
        done = subprocess.run(command, timeout=seconds, env=env)
        code = done.returncode
    except subprocess.TimeoutExpired:
        print(f"== {role}: cut off after {seconds} s", flush=True)
        code = 124
    print(f"== {role}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
    return code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?")
    parser.add_argument("--install", action="store_true", help="install PINS and exit")
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=120, help="per caller")
    parser.add_argument("--only", action="append", choices=[*ROLES, "read-token"])
    parser.add_argument("--report-dir", default=os.environ.get("TMPDIR", "/tmp"))
    args = parser.parse_args()
    if args.install:
        return install()
    base = args.base.rstrip("/")

    sessions = {role: sign_in(base, email) for role, email in ROLES.items()}
    callers = {
        role: {"TRELLIS_FUZZ_SESSION": cookie, "TRELLIS_FUZZ_CSRF": csrf}
        for role, (cookie, csrf) in sessions.items()
    }
    callers["read-token"] = {"TRELLIS_FUZZ_TOKEN": read_token(base, *sessions["hr"])}

    failed = []
    # HR last among the sessions: its writes change the most.
    for role in ["read-token", "employee", "manager", "hr"]:
        if args.only and role not in args.only:
            continue
        code = run(base, role, callers[role], args.examples, args.seconds, args.report_dir)
        if code != 0:
            failed.append(role)
    if failed:
        print("schemathesis found failures as: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
