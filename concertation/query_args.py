"""The one place where a query string becomes typed, bounded values — and where page links are built.

Anyone can type anything after a "?": page numbers past any integer, ids the database cannot
hold, dates at the ends of the calendar, or the keyword arguments of ``url_for`` itself
(``_external``, ``_anchor``, ``endpoint``…). Views read the query string only through these
functions, so bad values become a default (HTML pages) or a clear 400 (the API), never a 500;
and nothing from the query string reaches ``url_for`` as a keyword argument except through
``link_args``.
"""

import re
from datetime import date

from flask import request, url_for

from flask_babel import lazy_gettext as _l

from concertation.errors import ActionRefused
from concertation.extensions import db

# Large enough for any real list, small enough for every database's integers and offsets.
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
# A query-string name kept in page links: a plain word, never one of url_for's own (_anchor, _external…).
_LINK_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_URL_FOR_NAMES = frozenset({"endpoint", "values"})


def _raw(name: str, args=None) -> str:
    return ((args if args is not None else request.args).get(name) or "").strip()


def bounded_int(
    name: str, default: int | None = None, minimum: int = 1, maximum: int = MAX_ID, args=None
) -> int | None:
    """An integer within [minimum, maximum] read from the query string, or `default` when absent or wrong."""
    return parse_int(_raw(name, args), default, minimum, maximum)


def parse_int(raw, default: int | None = None, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`raw` (a string typed by anyone) as an integer within bounds, or `default`."""
    raw = str(raw or "").strip()
    if not re.fullmatch(r"-?\d{1,12}", raw):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def page_number(args=None) -> int:
    """The page asked for with ?page=: 1 when absent or wrong, at most MAX_PAGE."""
    value = parse_int(_raw("page", args), 1, minimum=1, maximum=10**12) or 1
    return min(value, MAX_PAGE)


def strict_int(name: str, default: int, maximum: int | None = None) -> int:
    """For the API: a positive integer, or a 400 with a French message (scripts must learn their mistake)."""
    raw = _raw(name)
    if raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ActionRefused(_l("Le paramètre « %(name)s » doit être un entier positif.", name=name), status=400)
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ActionRefused(
            _l("Le paramètre « %(name)s » ne peut pas dépasser %(maximum)d.", name=name, maximum=maximum), status=400
        )
    return value


def bounded_day(value: date | None) -> date | None:
    """A date typed in a filter, brought within the calendar the platform deals in (2000–2100).

    "Since 0001-01-01" means since the beginning, "until 9999-12-31" until the end: the same lists,
    without dates that no time zone arithmetic can hold.
    """
    if value is None:
        return None
    return min(max(value, FIRST_DAY), LAST_DAY)


def paginate(query, per_page: int, page: int | None = None, count: bool = True):
    """One page of `query` (a Flask-SQLAlchemy Pagination), the page number bounded: the one pager of the site."""
    return db.paginate(
        query, page=page or page_number(), per_page=per_page, max_per_page=per_page, error_out=False, count=count
    )


def link_args(exclude=()) -> dict:
    """The current query string, as arguments safe to give ``url_for`` for a link to another page of it.

    Only plain names pass; names of the route's own arguments, of ``url_for``'s keywords and
    `exclude` (e.g. "page") are dropped.
    """
    dropped = set(exclude) | set(request.view_args or {}) | _URL_FOR_NAMES
    return {name: value for name, value in request.args.items() if _LINK_NAME.match(name) and name not in dropped}


def page_url(endpoint: str, page: int, anchor: str | None = None, **values) -> str:
    """The address of another page of the current list, keeping its filters (template global)."""
    arguments = {**link_args(exclude={"page", *values}), **(request.view_args or {}), **values}
    return url_for(endpoint, page=page, _anchor=anchor, **arguments)
