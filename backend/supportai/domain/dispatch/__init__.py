"""Talking to providers over Telegram, and the owner's own account that can do it.

- service.py   batching forwarded requests into one message per provider and action,
               sending it (bot, userbot or both), never twice; the sweeper.
- replies.py   provider replies: which requests they answer, and what they say.
- customer.py  telling customers what happened (e.g. the provider declined).
- userbot.py   the owner's account: login steps, and the clients the userbot worker holds.
- chats.py     provider chats as stored in the provider settings.

What runs where: the API only enqueues (login steps, which it then waits for). Every
provider dispatch job and every Telethon client lives in the userbot worker
(`supportai userbot`, an arq worker on USERBOT_QUEUE). The pipeline (main worker) only
schedules dispatch jobs; the lead's bot webhook calls `handle_provider_reply`.
"""
