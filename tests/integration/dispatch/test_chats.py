"""Provider chats as owners type them, and what the web app shows of the owner's number."""

from __future__ import annotations

import pytest

from supportai.domain.dispatch.chats import typed_chat
from supportai.domain.dispatch.schemas import mask_phone
from supportai.integrations.telegram import ProviderChat


@pytest.mark.parametrize(
    ("typed", "chat"),
    [
        ("@prov_support", ProviderChat(username="prov_support")),
        ("prov_support", ProviderChat(username="prov_support")),
        ("https://t.me/prov_support", ProviderChat(username="prov_support")),
        ("t.me/prov_support/", ProviderChat(username="prov_support")),
        ("-1001234567890", ProviderChat(chat_id=-1001234567890)),
        (" 424242 ", ProviderChat(chat_id=424242)),
    ],
)
def test_a_typed_chat_is_an_id_or_a_username(typed, chat):
    assert typed_chat(typed) == chat


def test_a_phone_number_is_shown_masked():
    assert mask_phone("+4915123456789") == "+49•••••••••89"
    assert mask_phone("+1 (555) 010-9999") == "+15•••••••99"
