"""Unit tests for handlers.parsing."""
