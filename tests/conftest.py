import pytest
from django.db import connection


@pytest.fixture
def postgres_only():
    """Skip a test that needs PostgreSQL when the suite runs on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
