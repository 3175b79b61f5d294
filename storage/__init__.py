"""Persistence and the domain rules: models, repositories, unit of work, services, matching."""
