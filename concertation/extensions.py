"""Flask extensions, created unbound and bound to an app in create_app."""

from flask_limiter import Limiter as BaseLimiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from concertation.db import Base
from concertation.i18n import PlatformBabel


def counts_toward_limits(response) -> bool:
    """A request refused with 503 (the database away) did nothing: it uses up no one's allowance."""
    return response.status_code != 503


class Limiter(BaseLimiter):
    """Flask-Limiter whose limits count a request once answered, and not when the answer is a 503."""

    def limit(self, *args, deduct_when=None, **kwargs):
        return super().limit(*args, deduct_when=deduct_when or counts_toward_limits, **kwargs)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = PlatformBabel()  # French plural rule, inclusive writing as a setting (i18n.py)
limiter = Limiter(key_func=get_remote_address)


def person_or_address() -> str:
    """Rate limits on contributions count per signed-in person (many citizens may share one address)."""
    from flask_login import current_user

    if current_user and getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return get_remote_address()


def contribution_limit(kind: str, deduct_when=None):
    """A limit read from the configuration (RATELIMIT_PROPOSALS, _COMMENTS, _VOTES, _REPORTS), per person.

    With `deduct_when(response)`, only the requests it approves use up the limit.
    """
    from flask import current_app

    return limiter.limit(
        lambda: current_app.config[f"RATELIMIT_{kind}"],
        methods=["POST"],
        key_func=person_or_address,
        deduct_when=deduct_when,
    )
