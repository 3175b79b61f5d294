"""The WeCom adapter fails closed: a malformed agent id or EncodingAESKey stops the start, naming the key."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.adapters.wecom import WECOM_CAPS, create_adapter
from bot.core.clock import system_clock
from config.platforms import PlatformConfigError
from tests.harness.fake_wecom import wecom_settings


def test_adapter_builds_from_its_settings_section() -> None:
    adapter = create_adapter(wecom_settings("http://127.0.0.1:9"), system_clock)
    assert (adapter.platform, adapter.capabilities) == ("wecom", WECOM_CAPS)


@pytest.mark.parametrize(("key", "value", "named"), [
    ("agent_id", "app-1", "agent_id"),
    ("encoding_aes_key", SecretStr("too-short"), "encoding_aes_key"),
])
def test_malformed_settings_refuse_to_start(key: str, value: object, named: str) -> None:
    settings = wecom_settings("http://127.0.0.1:9").model_copy(update={key: value})
    with pytest.raises(PlatformConfigError, match=named):
        create_adapter(settings, system_clock)
