"""The schema comes from the migrations; the models must agree with them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from concertation import create_app
from concertation.extensions import db
from concertation.proposals.search import is_search_index
from tests.conftest import make_config


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": is_search_index})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_run_up_and_down_on_an_empty_database(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"user", "territory", "membership", "consultation", "phase"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
