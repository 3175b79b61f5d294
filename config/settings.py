"""Typed settings from `dealbot.toml` (or --config) and DEALBOT_* variables, `__` nesting sections."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.platforms import DingtalkSettings, SlackSettings, WecomSettings

DEFAULT_CONFIG_FILE = "dealbot.toml"


class StageSettings(BaseModel):
    key: str
    zh: str
    en: str
    probability: Decimal
    stale_days: int | None = None
    aliases: list[str] = Field(default_factory=list)


DEFAULT_STAGES = [
    StageSettings(key="lead", zh="线索", en="Lead", probability=Decimal("0.05"), stale_days=3),
    StageSettings(key="qualified", zh="初步筛选", en="Qualified", probability=Decimal("0.10"), stale_days=5,
                  aliases=["筛选", "初筛"]),
    StageSettings(key="needs", zh="需求确认", en="Needs confirmed", probability=Decimal("0.20"), stale_days=7,
                  aliases=["需求", "needs confirmed"]),
    StageSettings(key="proposal", zh="方案沟通", en="Proposal", probability=Decimal("0.40"), stale_days=7,
                  aliases=["方案"]),
    StageSettings(key="quote", zh="报价", en="Quote", probability=Decimal("0.60"), stale_days=5,
                  aliases=["quotation"]),
    StageSettings(key="negotiation", zh="谈判", en="Negotiation", probability=Decimal("0.80"), stale_days=5,
                  aliases=["商务谈判", "negotiate"]),
    StageSettings(key="won", zh="赢单", en="Won", probability=Decimal("1"), aliases=["签约", "成交"]),
    StageSettings(key="lost", zh="输单", en="Lost", probability=Decimal("0"), aliases=["丢单"]),
]


class DatabaseSettings(BaseModel):
    url: str = "sqlite+aiosqlite:///dealbot.db"
    echo: bool = False
    pool_size: int = 10
    # Where a two-process `serve` records inbound events. Default: the database itself on PostgreSQL; on
    # SQLite a file beside it (`dealbot.inbox.db`), because two processes writing one SQLite file wait on
    # each other's write lock (an ack would wait behind a whole command).
    inbox_url: str | None = None


class PipelineSettings(BaseModel):
    stages: list[StageSettings] = Field(default_factory=lambda: list(DEFAULT_STAGES))
    protection_days: int = 90
    pool_days: int = 30
    pool_warning_days: int = 3
    claims_per_day: int = 5
    reclaim_cooldown_days: int = 7
    undo_minutes: int = 10
    default_currency: str = "CNY"


class BotSettings(BaseModel):
    default_tz: str = "Asia/Shanghai"
    default_locale: str = "zh-CN"
    default_team: str = "sales"
    max_text_chars: int = 4000


class SecuritySettings(BaseModel):
    # Fernet key for contact data at rest and HMAC key for lookups; when empty, the CLI
    # creates one beside the database (`dealbot.secret`) on first use.
    secret_key: str = ""
    secret_file: str = "dealbot.secret"


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8080
    # "separate": a second process handles the recorded events, so acks never wait behind handler work;
    # "inline": one process does both (smaller, and what the in-process tests drive).
    processing: Literal["separate", "inline"] = "separate"
    # A claimed event whose process died is handled again after this many seconds.
    claim_lease_seconds: float = Field(default=60.0, gt=0)
    # Niceness added to the processing process: when both share a core, the acknowledging one runs first.
    processing_nice: int = Field(default=5, ge=0, le=19)


class CalendarSettings(BaseModel):
    """Team working days and hours; the country comes from each team (teams.country), this is the fallback."""

    country: str = "CN"
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    # Overrides for years the `holidays` package does not know yet (or local company days off).
    extra_holidays: list[date] = Field(default_factory=list)
    extra_workdays: list[date] = Field(default_factory=list)


class RemindersSettings(BaseModel):
    """What the scheduler pushes and when (issue 4)."""

    enabled: bool = True
    tick_seconds: int = 60
    merge_minutes: int = 5
    nudge_grace_hours: int = 12
    overdue_first_days: int = 1
    overdue_escalate_days: int = 3
    overdue_horizon_days: int = 21
    digest_at: time = time(9, 0)
    weekly_review_day: int = 0  # Monday
    weekly_review_at: time = time(9, 30)
    max_lines: int = 10


class OutboxSettings(BaseModel):
    max_attempts: int = 8
    lease_seconds: int = 60
    poll_seconds: float = 1.0
    batch: int = 100
    concurrency: int = 8


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALBOT_", env_nested_delimiter="__", extra="ignore")

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    reminders: RemindersSettings = Field(default_factory=RemindersSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    wecom: WecomSettings = Field(default_factory=WecomSettings)
    dingtalk: DingtalkSettings = Field(default_factory=DingtalkSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = init_settings.init_kwargs.pop("_config_file", None)  # type: ignore[attr-defined]
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from the given TOML file (or ./dealbot.toml if present), environment winning over file."""
    path = Path(config_file) if config_file else Path(DEFAULT_CONFIG_FILE)
    if config_file and not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")
    return Settings(_config_file=str(path) if path.is_file() else None, **overrides)  # type: ignore[call-arg]
