#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The organiser's panel in a real browser.

A real pdv-syncd (SQLite in a temporary folder) fed by pdvctl terminals, and
Debian's chromium, headless, driven through chromedriver's WebDriver
protocol (plain HTTP: nothing but Python's standard library here):

- a wrong password is refused, and five lock the account (429, said on the
  page, with the failures in the server's log);
- the organiser logs in, sees the event's figures, and a sale a terminal
  pushes appears on the page within 2 s, without reloading it;
- screenshots at 1920x1080 and 390x844 (written to the artefacts folder);
- a door supervisor sees the doors and not the sales, in the page and in
  what the server answers.

Usage: check-panel.py PDV_SYNCD PDVCTL ARTEFACTS_DIR
"""

import base64
import hashlib
import hmac
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ADMIN_TOKEN = "panel-test-admin-token-0123456789"
PASSWORD = "noite de verão 2026"


SERVER_LOG = []


def fail(message):
    for log in SERVER_LOG:
        log.flush()
        with open(log.name) as f:
            lines = f.readlines()
        print("".join(line for line in lines[-40:]), file=sys.stderr)
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def wait_for(what, check, timeout=20.0, interval=0.05):
    """Polls @check until it answers something true, or fails after @timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            fail("timed out waiting for " + what)
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Syncd:
    def __init__(self, exe, folder):
        env = dict(os.environ, PDV_SYNCD_ADMIN_TOKEN=ADMIN_TOKEN)
        self.log = open(os.path.join(folder, "pdv-syncd.log"), "w+")
        SERVER_LOG.append(self.log)
        self.process = subprocess.Popen([exe, "--db", os.path.join(folder, "server.db"),
                                         "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            fail("pdv-syncd did not start: " + line)
        self.url = line[len("listening on "):]

    def log_text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("pdv-syncd did not stop")
        if status != 0:
            fail("pdv-syncd ended with %d" % status)


class Terminal:
    """A terminal, as pdvctl drives one."""

    def __init__(self, pdvctl, folder, name, syncd):
        self.pdvctl = pdvctl
        self.db = os.path.join(folder, name.replace(" ", "-") + ".db")
        self.run("init", "--demo", "--name", name)
        enrolment = json.loads(admin(pdvctl, syncd, "enrolment", name, "--json"))
        self.run("enroll", enrolment["qr"])

    def run(self, *args):
        result = subprocess.run([self.pdvctl, "--db", self.db] + list(args), capture_output=True, text=True)
        if result.returncode != 0:
            fail("pdvctl %s: %s%s" % (" ".join(args), result.stdout, result.stderr))
        return result.stdout


def admin(pdvctl, syncd, *args, stdin=None):
    env = dict(os.environ, PDV_SYNCD_ADMIN_TOKEN=ADMIN_TOKEN)
    result = subprocess.run([pdvctl, "admin"] + list(args) + ["--server", syncd.url], capture_output=True,
                            text=True, env=env, input=stdin)
    if result.returncode != 0:
        fail("pdvctl admin %s: %s%s" % (" ".join(args), result.stdout, result.stderr))
    return result.stdout


def call_http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, method=method, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Browser:
    """Chromium, headless, through chromedriver (W3C WebDriver)."""

    def __init__(self, folder):
        chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        self.port = free_port()
        self.log = open(os.path.join(folder, "chromedriver.log"), "w")
        self.process = subprocess.Popen([chromedriver, "--port=%d" % self.port], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.base = "http://127.0.0.1:%d" % self.port
        wait_for("chromedriver", self.ready)
        capabilities = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--lang=pt-BR", "--user-data-dir=" + os.path.join(folder, "chromium"),
                     "--window-size=1920,1080"]}}}}
        session = self.call("POST", "/session", capabilities)
        self.session = "/session/" + session["sessionId"]

    def ready(self):
        try:
            status, _, body = call_http("GET", self.base + "/status")
            return status == 200 and json.loads(body)["value"]["ready"]
        except OSError:
            return False

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        status, _, answer = call_http(method, self.base + path, data, {"Content-Type": "application/json"})
        value = json.loads(answer).get("value") if answer else None
        if status != 200:
            fail("WebDriver %s %s: %s" % (method, path, value))
        return value

    def go(self, url):
        self.call("POST", self.session + "/url", {"url": url})

    def script(self, source, *args):
        return self.call("POST", self.session + "/execute/sync", {"script": source, "args": list(args)})

    def find(self, css):
        found = self.call("POST", self.session + "/element", {"using": "css selector", "value": css})
        return list(found.values())[0]

    def type(self, css, text):
        element = self.find(css)
        self.call("POST", self.session + "/element/%s/clear" % element, {})
        self.call("POST", self.session + "/element/%s/value" % element, {"text": text})

    def click(self, css):
        self.call("POST", self.session + "/element/%s/click" % self.find(css), {})

    def text(self, css):
        return self.script("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css)

    def visible(self, css):
        return self.script("const e = document.querySelector(arguments[0]);"
                           "return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;", css)

    def size(self, width, height):
        self.call("POST", self.session + "/window/rect", {"width": width, "height": height})

    def screenshot(self, path):
        data = self.call("GET", self.session + "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print("screenshot: " + path)

    def quit(self):
        try:
            self.call("DELETE", self.session)
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook's receiver: checks each delivery's signature, answers the
    first one 500 (a hiccup) and the next ones 200."""

    secret = None
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp = self.headers["X-PDV-Timestamp"]
        expected = "sha256=" + hmac.new(Receiver.secret.encode(), timestamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers["X-PDV-Signature"] or "")
        skew = abs(time.time() - int(timestamp))
        with Receiver.lock:
            first = len(Receiver.received) == 0
            Receiver.received.append({"valid": valid and skew < 300, "delivery": self.headers["X-PDV-Delivery"],
                                      "body": json.loads(body), "at": time.monotonic(), "answered": 500 if first else 200})
        self.send_response(500 if first else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


def log_in(browser, name, password):
    wait_for("the login form", lambda: browser.visible("#login-form"))
    browser.type("#name", name)
    browser.type("#password", password)
    browser.click("#login-button")


def main():
    syncd_exe, pdvctl, artefacts = sys.argv[1:4]
    os.makedirs(artefacts, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="pdv-panel-")
    syncd = Syncd(syncd_exe, folder)
    browser = None
    try:
        demo = os.path.join(folder, "demo")
        subprocess.run([pdvctl, "demo-files", demo], check=True, capture_output=True)
        admin(pdvctl, syncd, "import", *[os.path.join(demo, f) for f in ("event.json", "catalog.json", "users.json")])
        admin(pdvctl, syncd, "panel-account", "fernanda", "--role", "organiser", stdin=PASSWORD + "\n")
        admin(pdvctl, syncd, "panel-account", "joao", "--role", "door", stdin=PASSWORD + "\n")
        bar = Terminal(pdvctl, folder, "Bar 1", syncd)
        bar.run("shift", "open", "--amount", "100,00", "--user", "ana", "--pin", "1111")
        bar.run("sell", "CERV-LATA-350x2", "--pay", "cash:50,00", "--user", "ana")
        bar.run("sync", "--once")

        browser = Browser(folder)
        browser.go(syncd.url + "/panel")
        # As a browser set to Brazilian Portuguese would choose.
        browser.script("localStorage.setItem('pdv-panel-language', 'pt_BR');")
        browser.go(syncd.url + "/panel")

        # A wrong password, said on the page; five lock the account.
        log_in(browser, "fernanda", "not the password")
        wait_for("the refusal", lambda: browser.visible("#login-error"))
        refusal = browser.text("#login-error")
        print("refused: " + refusal)
        if refusal != "Nome ou senha incorretos.":
            fail("the refusal is not said in Portuguese: " + refusal)
        for _ in range(4):
            status, _, _ = call_http("POST", syncd.url + "/v1/panel/login",
                                json.dumps({"name": "fernanda", "password": "still wrong"}).encode(),
                                {"Content-Type": "application/json"})
            if status != 401:
                fail("a wrong password answered %d" % status)
        # Five wrong: locked, even for the right password.
        browser.script("document.getElementById('login-error').textContent = '';")
        log_in(browser, "fernanda", PASSWORD)
        wait_for("the lockout", lambda: "15" in (browser.text("#login-error") or ""))
        if browser.visible("#board"):
            fail("a locked account was let in with its password")
        print("locked: " + browser.text("#login-error"))
        if syncd.log_text().count("panel login for fernanda") < 5:
            fail("the failed logins are not in the server's log")

        # The door supervisor: doors, no sales, in the page and in what it is sent.
        log_in(browser, "joao", PASSWORD)
        wait_for("the door supervisor's board", lambda: browser.visible("#inside"))
        if browser.visible("#net-sales") or browser.visible("#per-bar") or browser.visible("#top-products"):
            fail("a door supervisor sees the sales")
        state = browser.script("return fetch('/v1/panel/state').then(r => r.json());")
        if "products" in state or "payments" in state or any("sales_total" in t for t in state["terminals"]):
            fail("the server sends sales to a door supervisor: %s" % json.dumps(state))
        if any(t["name"] == "Bar 1" for t in state["terminals"]):
            fail("a door supervisor is shown a bar's terminal")
        # The session's cookie: out of the page's reach, never sent by
        # another site; a forged one opens nothing.
        cookies = browser.call("GET", browser.session + "/cookie")
        session = [c for c in cookies if c["name"] == "pdv_panel"]
        if len(session) != 1 or not session[0]["httpOnly"] or session[0].get("sameSite") != "Strict":
            fail("the session cookie is not HttpOnly and SameSite=Strict: %s" % cookies)
        if browser.script("return document.cookie.includes('pdv_panel');"):
            fail("the page's script can read the session")
        payload, mac = session[0]["value"].split(".")
        forged = base64.b64encode(base64.b64decode(payload).replace(b"joao", b"fernanda.lima")).decode()
        for value in (forged + "." + mac, payload + "." + "0" * 64, "", "." + mac, "!!." + mac):
            status, _, _ = call_http("GET", syncd.url + "/v1/panel/state", headers={"Cookie": "pdv_panel=" + value})
            if status != 401:
                fail("a forged session answered %d" % status)
        # The real session's cookie works until the button logs it out; a
        # copy of it is refused from then on.
        copied = {"Cookie": "pdv_panel=" + session[0]["value"]}
        status, _, _ = call_http("GET", syncd.url + "/v1/panel/state", headers=copied)
        if status != 200:
            fail("the session's own cookie answered %d" % status)
        # A logout that cannot reach the server says so and keeps the board.
        browser.script("window.pdvFetch = window.fetch;"
                       "window.fetch = (url, options) => url === '/v1/panel/logout'"
                       "  ? Promise.reject(new TypeError('offline')) : window.pdvFetch(url, options);")
        browser.click("#logout")
        wait_for("the failed logout said", lambda: "sair" in (browser.text("#status") or ""))
        print("logout failed: " + browser.text("#status"))
        browser.screenshot(os.path.join(artefacts, "panel-logout-failed.png"))
        if not browser.visible("#board") or browser.visible("#login-form"):
            fail("a logout that did not happen showed the login form")
        browser.script("window.fetch = window.pdvFetch;")
        browser.click("#logout")
        wait_for("the login form again", lambda: browser.visible("#login-form"))
        status, _, _ = call_http("GET", syncd.url + "/v1/panel/state", headers=copied)
        if status != 401:
            fail("a copy of a logged-out session's cookie answered %d" % status)
        if "panel logout for joao" not in syncd.log_text():
            fail("the logout is not in the server's log")

        # The organiser (the lock is on fernanda; a new account for the
        # same person is what an admin does).
        admin(pdvctl, syncd, "panel-account", "fernanda.lima", "--role", "organiser", stdin=PASSWORD + "\n")
        log_in(browser, "fernanda.lima", PASSWORD)
        wait_for("the board", lambda: browser.visible("#net-sales"))
        first = browser.text("#net-sales .value")
        print("net sales: " + first)
        if "24,00" not in first:
            fail("the board shows %s, not the sale of R$ 24,00" % first)
        browser.script("window.pdvMark = document.getElementById('board');")

        # A sale pushed by a terminal appears within 2 s, the page not reloaded.
        bar.run("sell", "DRK-CAIP-LIMAO", "--pay", "card", "--user", "ana")
        bar.run("sync", "--once")
        pushed = time.monotonic()
        wait_for("the new sale on the board", lambda: browser.text("#net-sales .value") != first, timeout=2.0,
                 interval=0.02)
        print("appeared after %.2f s: %s" % (time.monotonic() - pushed, browser.text("#net-sales .value")))
        if not browser.script("return window.pdvMark === document.getElementById('board');"):
            fail("the page was reloaded")
        # Each terminal as it said it was: its version, nothing left to send.
        wait_for("the terminal's version", lambda: "0.1" in (browser.text("#terminals-table") or ""), 10)
        row = browser.script("return [...document.querySelectorAll('#terminals-table tbody tr')[0].cells]"
                             ".map(c => c.innerText);")
        print("terminal: %s" % row)
        if row[0] != "Bar 1" or row[2] != "0":
            fail("the terminal's row says %s" % row)

        # Alerts: a webhook and a rule set on the page; the stock of cans
        # crosses the rule's threshold; the receiver hears it (a 500 first,
        # then the retry), signed; the page shows the alert and the log.
        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        hook_url = "http://127.0.0.1:%d/pdv-alerts" % receiver.server_address[1]
        browser.type("#webhook-url", hook_url)
        browser.click("#webhook-add")
        wait_for("the webhook on the page", lambda: hook_url in (browser.text("#webhooks-table") or ""))
        Receiver.secret = browser.text("#webhooks-table code.secret")
        wait_for("the stock on the page", lambda: browser.visible("#stock-table"))
        browser.script("const k = document.getElementById('rule-kind'); k.value = 'stock_below';"
                       "k.dispatchEvent(new Event('change'));"
                       "document.getElementById('rule-subject').value = 'CERV-LATA-350';")
        browser.type("#rule-threshold", "597")
        browser.click("#rule-add")
        wait_for("the rule on the page", lambda: "597" in (browser.text("#rules-table") or ""))
        time.sleep(2.5)  # two rounds of the server's checks: the rule does not hold at 598 cans
        if Receiver.received or browser.script("return document.querySelectorAll('#alerts-list li.open').length;"):
            fail("an alert was raised before the stock crossed its threshold")
        bar.run("sell", "CERV-LATA-350x2", "--pay", "card", "--user", "ana")
        bar.run("sync", "--once")
        wait_for("the alert on the page", lambda: browser.script(
            "return [...document.querySelectorAll('#alerts-list li.open')].map(e => e.innerText).join('|');"), 10)
        print("alert: " + browser.text("#alerts-list"))
        wait_for("the webhook's retry", lambda: len(Receiver.received) >= 2, 15)
        first, retry = Receiver.received[0], Receiver.received[1]
        for delivery in (first, retry):
            if not delivery["valid"]:
                fail("a delivery's signature does not hold")
        if first["delivery"] != retry["delivery"] or retry["at"] - first["at"] < 0.9:
            fail("the retry is not the same delivery a second later")
        alert = retry["body"]["alert"]
        if retry["body"]["event"] != "alert.raised" or alert["kind"] != "stock_below" or \
                alert["subject"] != "CERV-LATA-350" or alert["value"] != 596:
            fail("the webhook heard %s" % json.dumps(retry["body"]))
        print("webhook: %s, retried after %.1f s" % (alert["message"], retry["at"] - first["at"]))
        wait_for("the delivery's log on the page", lambda: "2" in (browser.text("#deliveries-table") or "") and
                 "Entregue" in (browser.text("#deliveries-table") or ""), 10)
        receiver.shutdown()

        # The totals as files: CSV for a spreadsheet in Portuguese, and PDF.
        exported = browser.script(
            "return Promise.all(['csv', 'pdf'].map(f => fetch(document.getElementById('export-' + f).href)"
            "  .then(async r => [r.status, r.headers.get('Content-Type'), r.headers.get('Content-Disposition'),"
            "                    f === 'csv' ? await r.text() : String.fromCharCode(...new Uint8Array("
            "                      await r.arrayBuffer()).slice(0, 5))])));")
        csv, pdf = exported
        print("csv: %s %s" % (csv[1], csv[2]))
        if csv[0] != 200 or not csv[1].startswith("text/csv") or "attachment" not in csv[2]:
            fail("the CSV export answered %s" % csv[:3])
        if "summary;net_sales;Vendas líquidas;;73,00" not in csv[3]:
            fail("the CSV export does not hold the net sales: " + csv[3])
        if pdf[0] != 200 or pdf[1] != "application/pdf" or pdf[3] != "%PDF-":
            fail("the PDF export answered %s" % pdf)

        browser.size(1920, 1080)
        browser.script("document.activeElement.blur(); window.scrollTo(0, 0);")
        time.sleep(0.3)
        browser.screenshot(os.path.join(artefacts, "panel-1920x1080.png"))
        browser.size(390, 844)
        browser.script("window.scrollTo(0, 0);")
        time.sleep(0.3)
        width = browser.script("return document.documentElement.scrollWidth;")
        if width > 390:
            fail("the page is %d px wide on a 390 px phone" % width)
        browser.screenshot(os.path.join(artefacts, "panel-390x844.png"))
        print("ok")
    finally:
        if browser is not None:
            browser.quit()
        syncd.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
