"""Settings: a TOML file plus DEALBOT_* environment variables. Imports no project package."""

from config.settings import DatabaseSettings, PipelineSettings, Settings, StageSettings, load_settings

__all__ = ["DatabaseSettings", "PipelineSettings", "Settings", "StageSettings", "load_settings"]
