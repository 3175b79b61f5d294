"""Builds the adapter of every enabled platform; each platform's SDK is imported only when enabled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module

from bot.adapters.base import Adapter
from config import Settings

# platform → module with `create_adapter(settings_section, clock) -> Adapter`
MODULES = {"slack": "bot.adapters.slack", "wecom": "bot.adapters.wecom", "dingtalk": "bot.adapters.dingtalk"}


def enabled_adapters(settings: Settings, clock: Callable[[], datetime]) -> list[Adapter]:
    adapters = []
    for platform, module_name in MODULES.items():
        section = getattr(settings, platform)
        if section.enabled:
            module = import_module(module_name)
            adapters.append(module.create_adapter(section, clock))
    return adapters
