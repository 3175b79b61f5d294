"""Alembic migrations of the dealbot schema."""
