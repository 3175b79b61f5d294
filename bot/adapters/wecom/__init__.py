"""WeCom (企业微信) self-built app: encrypted HTTP callbacks in, message/send, appchat and robots out."""

from bot.adapters.wecom.adapter import WECOM_CAPS, WecomAdapter, create_adapter

__all__ = ["WECOM_CAPS", "WecomAdapter", "create_adapter"]
