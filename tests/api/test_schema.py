"""Every operation of the OpenAPI description, fuzzed by schemathesis: no 500, no response off its schema."""

import schemathesis
from hypothesis import HealthCheck, given, settings

from concertation import demo
from concertation.db import utcnow
from concertation.extensions import db


def test_every_operation_conforms_to_its_description(app):
    # The demonstration has proposals, comments, votes, a published synthesis and a manifesto.
    demo.load(utcnow())
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13

    for operation in operations:

        @given(case=operation.as_strategy())
        # Derandomised: the same examples every run, so that CI is reproducible.
        @settings(
            max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def conforms(case):
            case.call_and_validate()

        conforms()
