"""Counting the SQL statements a page costs."""

from sqlalchemy import event

from concertation.extensions import db


def statements_for(client, url: str) -> int:
    """How many statements the database received while `url` was served (it must answer 200)."""
    count = []

    def counter(*_args):
        count.append(1)

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return len(count)
