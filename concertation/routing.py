"""How routes reach the application: blueprints built by each area's views, and the id URL converter."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint
from werkzeug.routing import IntegerConverter


class Routes:
    """The routes of one secondary views module (e.g. `views_editors.py`), kept until its area's
    `views.py` adds them to the area's blueprint with `add_to(bp)`: the area's views build their
    blueprint explicitly, and nothing is registered by importing a module for its side effect."""

    def __init__(self) -> None:
        self._rules: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []

    def route(self, rule: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Same signature as `Blueprint.route`."""

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            self._rules.append((rule, view, options))
            return view

        return decorator

    def add_to(self, bp: Blueprint) -> None:
        for rule, view, options in self._rules:
            bp.route(rule, **options)(view)


class DatabaseId(IntegerConverter):
    """<int:…> in URLs stops at the largest database id, so a forged huge id is a 404, not a 500.

    It replaces Werkzeug's `int` for the whole URL map (create_app) rather than living under a
    name of its own: every id in every route then gets the bound, including routes written by
    someone who never heard of this converter, and no `int` rule can be forgotten."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
