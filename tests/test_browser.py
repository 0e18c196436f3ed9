"""The HTML pages in a real headless Chromium, driven over the DevTools protocol (stdlib only).

Chromium is Debian's ``chromium`` package: installed with apt-get when missing and running as
root, otherwise the tests skip. The browser talks over ``--remote-debugging-pipe`` (fd 3 in,
fd 4 out, NUL-separated JSON). Screenshots are kept under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import subprocess
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from topics.report import write_report
from topics.viz import coherence_vs_k, doc_theme_heatmap, ldavis_page, save_figure, topic_top_words

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--remote-debugging-pipe")
INJECTED = "<script>document.title='pwned';window.pwned=true</script>"


def _chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.geteuid() != 0:
        pytest.skip("needs Debian's chromium (/usr/bin/chromium): run `apt-get install -y chromium` "
                    "as root, or run the tests as root so they install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"],
                ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        if Path(CHROMIUM).exists():
            return CHROMIUM
    pytest.skip(f"could not install chromium with apt-get: {done.stderr.strip()[-300:]}")


class Browser:
    """A headless Chromium and a minimal DevTools-protocol client over its debugging pipe."""

    def __init__(self, exe: str, profile: Path, log: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child_fds() -> None:  # chromium reads commands on fd 3 and answers on fd 4
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                preexec_fn=child_fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60.0) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_event(self, method: str, session: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            self.events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError(f"chromium exited (code {self.proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, path: Path) -> str:
        """A new tab showing ``path``, loaded; returns its session id."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1400, "height": 1100, "deviceScaleFactor": 1, "mobile": False}, session)
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, session)
        self.wait_event("Page.loadEventFired", session)
        return session

    def evaluate(self, session: str, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def screenshot(self, session: str, target: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                         session)["data"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))

    def errors(self, session: str) -> list[str]:
        """Uncaught exceptions, console.error/assert calls and error log entries of a tab."""
        out = []
        for e in (e for e in self.events if e.get("sessionId") == session):
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("exception", {}).get("description", "exception"))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(params["entry"]["text"])
        return out

    def requested_urls(self, session: str) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("sessionId") == session and e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = _chromium()
    home = tmp_path_factory.mktemp("chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    session = Browser(exe, home / "profile", ARTIFACTS / "chromium.log")
    yield session
    session.close()


def _tiny_lda(seeds_dir: Path, k: int = 3):
    """A small gensim LdaModel trained on the five seed articles."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    texts = [re.findall(r"[a-z]{4,}", p.read_text(encoding="utf-8").lower())
             for p in sorted(seeds_dir.glob("*.txt"))]
    common = {w for w, n in Counter(w for t in texts for w in set(t)).items() if n == len(texts)}
    texts = [[w for w in t if w not in common] for t in texts]
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=2, no_above=1.0, keep_n=400)
    bows = [dictionary.doc2bow(t) for t in texts]
    lda = LdaModel(bows, num_topics=k, id2word=dictionary, passes=10, iterations=100, random_state=1)
    doc_topic = np.zeros((len(bows), k))
    for d, bow in enumerate(bows):
        for topic, p in lda.get_document_topics(bow, minimum_probability=0.0):
            doc_topic[d, topic] = p
    vocab = [dictionary[i] for i in range(len(dictionary))]
    return dict(topic_word=lda.get_topics(), doc_topic=doc_topic,
                doc_lengths=[sum(c for _, c in b) for b in bows], vocab=vocab,
                term_frequency=[dictionary.cfs[i] for i in range(len(dictionary))])


def test_ldavis_page_draws_one_circle_per_topic_offline(browser, seeds_dir, tmp_path):
    model = _tiny_lda(seeds_dir, k=3)
    page = ldavis_page(**model, path=tmp_path / "ldavis" / "gensim_k3.html", title="gensim K=3",
                       topic_names=["Kazakhstan", None, "Pakistan <b>"])
    session = browser.open(page)
    assert browser.evaluate(session, "document.querySelectorAll('#ldavis svg circle.dot').length") == 3
    tips = browser.evaluate(session, "Array.from(document.querySelectorAll('circle.dot title'))"
                                     ".map(t => t.textContent)")
    assert tips[0] == "Topic 1 (model topic 0): Kazakhstan" and tips[2].endswith("Pakistan <b>")
    bars = browser.evaluate(session, "document.querySelectorAll('#ldavis svg rect').length")
    assert bars >= 10
    browser.screenshot(session, ARTIFACTS / "ldavis.png")
    assert browser.errors(session) == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in browser.requested_urls(session))


def test_ldavis_page_opens_at_the_configured_lambda(browser, seeds_dir, tmp_path):
    model = _tiny_lda(seeds_dir, k=3)
    page = ldavis_page(**model, path=tmp_path / "l.html", title="relevance", lambda_start=0.6)
    session = browser.open(page)
    slider = "document.querySelector('#ldavis input[type=range]')"
    assert browser.evaluate(session, f"{slider}.value") == "0.6"
    assert browser.evaluate(session, "location.hash") == "#topic=0&lambda=0.6&term="
    # Hovering a topic ranks its bars by relevance at 0.6: the first bar is the top word by
    # relevance, recomputed here from the model (Sievert and Shirley 2014).
    browser.evaluate(session, "document.querySelector('#ldavis circle.dot')"
                              ".dispatchEvent(new MouseEvent('mouseover'))")
    first = browser.evaluate(session, "Array.from(document.querySelectorAll('#ldavis .terms'))"
                                      ".map(t => t.textContent)[0]")
    phi = np.asarray(model["topic_word"])[0]
    tf = np.asarray(model["term_frequency"], dtype=float)
    relevance = 0.6 * np.log(phi) + 0.4 * np.log(phi / (tf / tf.sum()))
    assert first == model["vocab"][int(np.argmax(relevance))]
    assert browser.errors(session) == []


def test_report_renders_sorts_and_runs_no_injected_script(browser, seeds_dir, tmp_path):
    meta = pd.read_csv(seeds_dir / "metadata.csv")
    titles = list(meta["title"])
    titles[0] = INJECTED
    scores = pd.DataFrame(np.random.default_rng(0).dirichlet(np.ones(3), len(titles)),
                          index=meta["file"], columns=["Russia", "Pakistan", INJECTED])
    figures = {
        "Theme scores": save_figure(doc_theme_heatmap(scores, labels=titles), tmp_path / "figures" / "heat"),
        "Top words": save_figure(topic_top_words([[(INJECTED, 0.5), ("oil", 0.2)]]), tmp_path / "figures" / "words"),
    }
    results = pd.DataFrame({"engine": ["gensim", "tomotopy", "gensim"], "num_topics": [10, 5, 5],
                            "seed": [0, 0, 1], "c_npmi": [0.05, 0.12, -0.02]})
    figures["Coherence"] = save_figure(coherence_vs_k(results), tmp_path / "figures" / "coherence")
    figures = {k: [p.relative_to(tmp_path) for p in v] for k, v in figures.items()}
    (tmp_path / "ldavis").mkdir()
    (tmp_path / "ldavis" / "k5.html").write_text("<!DOCTYPE html><title>k5</title>")
    report = write_report(
        tmp_path, title=INJECTED, results=results, figures=figures,
        ldavis_pages={"gensim K=5": "ldavis/k5.html"},
        themes=pd.DataFrame({"theme": [INJECTED], "words": [[INJECTED, "oil"]]}),
        evidence={INJECTED: [INJECTED]}, corpus_stats={"documents": len(titles), INJECTED: 1},
        manifest={"title": INJECTED})
    session = browser.open(report)
    assert browser.evaluate(session, "document.title") == INJECTED  # shown as text, not run
    assert browser.evaluate(session, "typeof window.pwned") == "undefined"
    assert browser.evaluate(session, "document.scripts.length") == 1
    assert browser.evaluate(session, "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert browser.evaluate(session, "document.images.length") == 3
    order = "Array.from(document.querySelectorAll('table.sortable tbody tr')).map(r => r.cells[3].textContent)"
    header = "document.querySelectorAll('table.sortable th')[3]"
    browser.evaluate(session, f"{header}.click()")
    assert browser.evaluate(session, order) == ["-0.02", "0.05", "0.12"]
    browser.evaluate(session, f"{header}.click()")
    assert browser.evaluate(session, order) == ["0.12", "0.05", "-0.02"]
    browser.screenshot(session, ARTIFACTS / "report.png")
    assert browser.errors(session) == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in browser.requested_urls(session))



def test_themes_page_renders_highlights_and_runs_no_injected_script(browser, tmp_path):
    from topics.themes_page import write_themes_page

    spans = [("Troops left ", None), ("Kazakhstan", INJECTED), (" after the ", None),
             ("protests", "unrest"), (f" {INJECTED} & <b>bold</b>", None)]
    passages = {INJECTED: pd.DataFrame({"document": ["d1"], "title": [INJECTED], "score": [2.5],
                                        "words": [f"{INJECTED} x2"], "spans": [spans]}),
                "unrest": pd.DataFrame(columns=["document", "title", "score", "words", "spans"])}
    page = write_themes_page(tmp_path, title=INJECTED, themes=[INJECTED, "unrest"],
                             passages=passages, notes=[INJECTED],
                             documents=[{"id": INJECTED, "title": INJECTED, "themes": INJECTED,
                                         "spans": spans}])
    session = browser.open(page)
    assert browser.evaluate(session, "document.title") == INJECTED
    assert browser.evaluate(session, "typeof window.pwned") == "undefined"
    assert browser.evaluate(session, "document.scripts.length") == 0
    marks = browser.evaluate(session, "Array.from(document.querySelectorAll('mark'))"
                                      ".map(m => [m.textContent, m.title])")
    assert ["Kazakhstan", INJECTED] in marks and ["protests", "unrest"] in marks
    assert browser.evaluate(session, "document.querySelectorAll('blockquote').length") == 1
    assert browser.evaluate(session, "document.querySelectorAll('b').length") == 0
    assert browser.evaluate(session, "getComputedStyle(document.querySelector('mark.t1'))"
                                     ".backgroundColor") != "rgba(0, 0, 0, 0)"
    assert not browser.errors(session)
    browser.screenshot(session, ARTIFACTS / "themes_page.png")
