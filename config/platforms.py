"""Per-platform settings, named as the platform consoles name them; an enabled platform without its
secrets refuses to start (fail closed)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, SecretStr, model_validator


class PlatformConfigError(ValueError):
    """An enabled platform is missing a setting it cannot work without."""


def _require(section: str, model: BaseModel, keys: tuple[str, ...]) -> None:
    missing = []
    for key in keys:
        value = getattr(model, key)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not value:
            missing.append(f"[{section}] {key}")
    if missing:
        raise PlatformConfigError(f"{section} is enabled but these settings are empty: {', '.join(missing)}")


class SlackSettings(BaseModel):
    enabled: bool = False
    signing_secret: SecretStr = SecretStr("")
    bot_token: SecretStr = SecretStr("")
    app_token: SecretStr = SecretStr("")  # xapp-… for Socket Mode
    socket_mode: bool = False
    api_url: str = "https://slack.com/api/"

    @model_validator(mode="after")
    def _fail_closed(self) -> Self:
        if self.enabled:
            _require("slack", self, ("bot_token", "app_token") if self.socket_mode else ("signing_secret", "bot_token"))
        return self


class WecomSettings(BaseModel):
    enabled: bool = False
    corp_id: str = ""
    agent_id: str = ""
    secret: SecretStr = SecretStr("")
    token: SecretStr = SecretStr("")
    encoding_aes_key: SecretStr = SecretStr("")
    api_url: str = "https://qyapi.weixin.qq.com"

    @model_validator(mode="after")
    def _fail_closed(self) -> Self:
        if self.enabled:
            _require("wecom", self, ("corp_id", "agent_id", "secret", "token", "encoding_aes_key"))
        return self


class DingtalkSettings(BaseModel):
    enabled: bool = False
    app_key: str = ""
    app_secret: SecretStr = SecretStr("")
    robot_code: str = ""
    mode: Literal["stream", "http"] = "stream"
    api_url: str = "https://api.dingtalk.com"
    oapi_url: str = "https://oapi.dingtalk.com"

    @model_validator(mode="after")
    def _fail_closed(self) -> Self:
        if self.enabled:
            _require("dingtalk", self, ("app_key", "app_secret", "robot_code"))
        return self
