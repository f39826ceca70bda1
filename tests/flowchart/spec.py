"""The spec of the current flowchart version, for tests of the app (wizard, records,
reports) that run on whatever version new runs use. Tests of one version's own rules import
spec_2026_11 or spec_2027_01 and pin that version."""

from tests.flowchart.spec_2027_01 import (  # noqa: F401
    ANSWERS_FOR_OUTCOME,
    SPEC_EDGES,
    SPEC_OUTCOMES,
    TRAINING_OUTCOMES,
)
