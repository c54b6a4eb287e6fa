import pytest


@pytest.fixture(autouse=True)
def _app(app):
    """Every synthesis test runs inside the app (service tests call the database directly)."""
    return app


@pytest.fixture
def fake_embeddings(app):
    """The synthesis aid's fast stand-in model (tests/synthesis/fake_model.py) instead of the bundled one."""
    from tests.synthesis import fake_model

    app.config["AID_EMBEDDING_MODEL"] = fake_model.NAME
    return fake_model.NAME
