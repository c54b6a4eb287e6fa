"""Walk the application's URL map: every route, with its arguments filled in, for the security tests.

The routes are read from ``app.url_map`` — never from a hand-kept list — so a route added
tomorrow is attacked by the same tests.
"""

from itertools import product

from werkzeug.routing import AnyConverter


def rules(app, methods=("GET", "POST")):
    """Every rule of the application (static files left out), with the methods it answers among `methods`."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        answered = sorted(set(methods) & (rule.methods or set()))
        if answered:
            yield rule, answered


def urls(rule, values: dict) -> list[str]:
    """The rule's paths with `values` (lists allowed) filled in; `any(...)` arguments take each of their items.

    Returns [] when an argument has no value.
    """
    choices = {}
    for name in rule.arguments:
        if name in (rule.defaults or {}):
            continue  # given by the rule itself (e.g. follow / unfollow), not by the path
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            choices[name] = sorted(converter.items)
        elif name in values:
            value = values[name]
            choices[name] = value if isinstance(value, list) else [value]
        else:
            return []
    found = []
    for combination in product(*choices.values()):
        path = rule.rule
        for name, value in zip(choices, combination):
            path = path.replace(f"<{_placeholder(rule, name)}>", str(value))
        found.append(path)
    return found


def _placeholder(rule, name: str) -> str:
    """The text between < and > naming `name` in the rule, e.g. "int:proposal_id"."""
    start = rule.rule.index(f"{name}>")
    return rule.rule[rule.rule.rindex("<", 0, start) + 1 : start] + name
