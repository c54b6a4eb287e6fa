import pytest


@pytest.fixture(autouse=True)
def _app(app):
    """Every commitments test runs inside the app (service tests call the database directly)."""
    return app
