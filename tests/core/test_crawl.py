"""The safety net: the demonstration crawled as each role, every link followed, every form sent twice.

For each role (visitor, participant, agent, organiser, élu, manifesto editor, admin), on a fresh
copy of `flask seed-demo`'s data, the crawl starts at the home page and follows the internal
links of every page it reaches (a few pages per URL pattern, at most MAX_PAGES pages), then sends
each form it met (one per action) twice: as rendered, and filled with typical values. Nothing
may answer 5xx, no internal link may lead to a 404, and every HTML page has one h1 and a title.
"""

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from concertation import demo
from concertation.db import utcnow
from concertation.extensions import db

MAX_PAGES = 200
# Pages per URL pattern: a couple from each page that links to it, enough to reach every demonstration
# consultation (one per phase) and some of its proposals, and no more.
PER_PATTERN, PER_PATTERN_AND_PAGE = 12, 2
# "organiser#2" is the demonstration's second organiser, whose territory has a synthesis being drafted.
ROLES = ["visitor", "participant", "agent", "organiser", "organiser#2", "elu", "editor", "admin"]
# Forms that end the crawl's own session: sent by their own tests, not here.
SESSION_ENDERS = {"accounts.logout", "accounts.delete_account", "accounts.change_password"}
_unique = itertools.count(1)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str, str, bool, list[str]]] = field(default_factory=list)  # name, kind, value, on, opts


@dataclass
class Page:
    title: str = ""
    h1: int = 0
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._select: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        forms = self.page.forms
        if tag == "title":
            self._in_title = True
        elif tag == "h1":
            self.page.h1 += 1
        elif tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        elif tag == "form":
            forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), a.get("enctype", "")))
        elif not forms or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind not in ("submit", "button", "image", "reset"):
                forms[-1].fields.append(
                    [a["name"], kind, a.get("value", "on" if kind == "checkbox" else ""), "checked" in a, []]
                )
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], "textarea", "", True, []]
            forms[-1].fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], "select-multiple" if "multiple" in a else "select", None, True, []]
            forms[-1].fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[4].append(a.get("value", ""))
            if "selected" in a or (self._select[2] is None and self._select[1] == "select"):
                self._select[2] = a.get("value", "")
                self._select[3] = "selected" in a or self._select[3]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._in_title:
            self.page.title += data
        elif self._textarea is not None:
            self._textarea[2] += data


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    return parser.page


def rendered_values(form: Form) -> list[tuple[str, str]]:
    """What the browser sends when the form is submitted untouched."""
    data = []
    for name, kind, value, on, _options in form.fields:
        if kind in ("checkbox", "radio") and not on:
            continue
        if kind == "file" or value is None:
            continue
        data.append((name, value))
    return data


def typical_value(name: str, kind: str, options: list[str]) -> str | None:
    """What a person would typically type in a field of this name and kind."""
    lowered = name.lower()
    if kind in ("select", "select-multiple", "radio"):
        chosen = [o for o in options if o]
        return chosen[0] if chosen else None
    if kind == "checkbox":
        return options[0] if options else "y"
    if kind == "email" or "email" in lowered:
        return f"personne{next(_unique)}@exemple.fr"
    if kind == "date" or "date" in lowered or lowered in ("depuis", "jusqu_au"):
        return f"{utcnow().year + 1}-03-0{1 + next(_unique) % 8}"
    if kind == "datetime-local":
        return f"{utcnow().year + 1}-03-0{1 + next(_unique) % 8}T10:00"
    if kind == "time":
        return "10:00"
    if kind == "number" or lowered.endswith(("_id", "limit", "paragraph", "population")):
        return "1"
    if kind == "url" or "url" in lowered:
        return "https://www.exemple.fr/document"
    if kind == "password":
        return "une phrase de passe solide"
    if kind == "color":
        return "#1d4ed8"
    if kind == "textarea":
        return (
            "Former les agents avant d’équiper les services : une proposition d’essai, "
            "écrite comme une habitante l’écrirait.\n\nDeuxième paragraphe."
        )
    if lowered in ("slug",):
        return f"territoire-{next(_unique)}"
    if lowered in ("q", "recherche", "search", "theme"):
        return "formation"
    return f"Former les agents à l’IA {next(_unique)}"


def typical_values(form: Form) -> list[tuple[str, str]]:
    data: list[tuple[str, str]] = []
    radios_done: set[str] = set()
    by_name: dict[str, list] = {}
    for f in form.fields:
        by_name.setdefault(f[0], []).append(f)
    for name, group in by_name.items():
        kind = group[0][1]
        if kind in ("hidden", "file") or name == "csrf_token":
            data.extend((name, f[2]) for f in group if kind == "hidden")
            continue
        if kind == "radio":
            if name not in radios_done:
                radios_done.add(name)
                value = typical_value(name, kind, [f[2] for f in group])
                if value is not None:
                    data.append((name, value))
            continue
        if kind == "checkbox":
            data.append((name, group[0][2]))
            continue
        for f in group:
            value = typical_value(name, kind, f[4])
            if value is not None:
                data.append((name, value))
    return data


class Crawl:
    def __init__(self, app, client):
        self.app, self.client = app, client
        self.adapter = app.url_map.bind("localhost")
        self.problems: list[str] = []
        self.patterns: dict = {}
        self.form_patterns: set = set()
        self.forms: list[tuple[str, Form]] = []
        self.pages = 0
        self.seen: set[str] = set()
        self.requests = 0

    def pattern(self, path: str, method: str = "GET"):
        parts = urlsplit(path)
        try:
            endpoint, _args = self.adapter.match(parts.path, method=method)
        except HTTPException:
            return None
        return endpoint, tuple(sorted(k for k, _v in parse_qsl(parts.query)))

    def check(self, where: str, response) -> Page | None:
        self.requests += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{where}: {status}")
        if "text/html" not in response.content_type:
            return None
        page = parse(response.get_data(as_text=True))
        if page.h1 != 1:
            self.problems.append(f"{where}: {page.h1} h1")
        if not page.title.strip():
            self.problems.append(f"{where}: pas de <title>")
        return page

    def visit(self, path: str, came_from: str) -> None:
        response = self.client.get(path)
        if response.status_code == 404:
            self.problems.append(f"lien vers une page introuvable : {path} (depuis {came_from})")
        page = self.check(f"GET {path}", response)
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            page = self.check(f"GET {path} → {response.location}", self.client.get(response.location))
        if page is None:
            return
        for href in page.links:
            self.queue_link(href, path)
        for form in page.forms:
            action = form.action or path
            key = self.pattern(action, "POST" if form.method == "post" else "GET")
            if key is not None and key[0] not in SESSION_ENDERS and (form.method, key[0]) not in self.form_patterns:
                self.form_patterns.add((form.method, key[0]))
                self.forms.append((path, form))

    def queue_link(self, href: str, came_from: str) -> None:
        if not href.startswith("/") or href.startswith("//"):
            return
        path = href.split("#", 1)[0]
        if not path:
            return
        key = self.pattern(path)
        if key is None:
            self.problems.append(f"lien vers une adresse inconnue : {path} (depuis {came_from})")
            return
        here = (key, came_from)
        if (
            path in self.seen
            or self.patterns.get(key, 0) >= PER_PATTERN
            or self.pages >= MAX_PAGES
            or self.patterns.get(here, 0) >= PER_PATTERN_AND_PAGE
        ):
            return
        self.seen.add(path)
        self.patterns[key] = self.patterns.get(key, 0) + 1
        self.patterns[here] = self.patterns.get(here, 0) + 1
        self.pages += 1
        self.queue.append((path, came_from))

    def run(self) -> None:
        self.queue: list[tuple[str, str]] = []
        self.queue_link("/", "départ")
        while self.queue:
            path, came_from = self.queue.pop(0)
            self.visit(path, came_from)
        # Every form as rendered first, on the demonstration as it was seeded (as a newcomer finds it), then
        # every form filled in: a filled-in form changes data that another form, sent untouched, shows.
        for page_path, form in self.forms:
            self.submit(page_path, form, "tel quel", rendered_values(form))
        for page_path, form in self.forms:
            self.submit(page_path, form, "rempli", typical_values(form))

    def submit(self, page_path: str, form: Form, label: str, data: list[tuple[str, str]]) -> None:
        action = form.action or page_path
        where = f"{form.method.upper()} {action} ({label}, formulaire de {page_path})"
        if form.method == "post":
            # A fresh token each time: the form may have been rendered before another one changed the session.
            fields = [(k, v) for k, v in data if k != "csrf_token"] + [("csrf_token", self.client.csrf_token())]
            response = self.client.post(action, data=_multi(fields), csrf=False)
        else:
            query = urlencode([(k, v) for k, v in data if k != "csrf_token"])
            response = self.client.get(f"{urlsplit(action).path}?{query}")
        self.check(where, response)
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            target = self.client.get(response.location)
            if target.status_code == 404:
                self.problems.append(f"{where} redirige vers une page introuvable : {response.location}")
            self.check(f"{where} → {response.location}", target)


def _multi(pairs):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


def sign_in_as(client, role: str, accounts) -> None:
    role, _hash, rank = role.partition("#")
    email = [email for email, _p, r, _t in accounts if r == role][int(rank or 1) - 1]
    response = client.post("/compte/connexion", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("role", ROLES)
def test_the_demo_crawled_as_each_role_has_no_error_and_no_dead_link(app, client, role):
    accounts = demo.load(utcnow())
    db.session.commit()
    if role != "visitor":
        sign_in_as(client, role, accounts)
    crawl = Crawl(app, client)
    crawl.run()
    assert crawl.pages >= 15 and crawl.forms, (crawl.pages, len(crawl.forms))
    assert not crawl.problems, "\n".join(dict.fromkeys(crawl.problems))
