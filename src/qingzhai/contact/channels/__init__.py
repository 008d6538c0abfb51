"""Contact channels behind one interface (SMS, e-mail, letter, voice); see docs/contact-channels.md.

channel = channel_for("sms", settings_mapping)
outcome = RetryPolicy().run(channel.send, Message(key, "sms", "13800138000", body="..."))
"""

from qingzhai.contact.channels.base import (
    CHANNELS,
    Attachment,
    Channel,
    ChannelError,
    Message,
    Outcome,
    Receipt,
    Reply,
    RetryPolicy,
    SendResult,
    channel_for,
    register,
)

__all__ = [
    "CHANNELS",
    "Attachment",
    "Channel",
    "ChannelError",
    "Message",
    "Outcome",
    "Receipt",
    "Reply",
    "RetryPolicy",
    "SendResult",
    "channel_for",
    "register",
]
