"""Flask extensions, created unbound and bound to an app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from concertation.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
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
    return limiter.limit(lambda: current_app.config[f"RATELIMIT_{kind}"], methods=["POST"],
                         key_func=person_or_address, deduct_when=deduct_when)
