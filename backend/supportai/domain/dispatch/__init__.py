"""Talking to providers: their APIs and their Telegram chats, and the owner's own account
that can message them.

- models.py          dispatch items, provider messages, the owner's userbot account.
- provider_calls.py  forwarded requests sent to a provider's API (refill/cancel, batched).
- scheduling.py      queueing dispatch items, one job per provider window; the sweeper.
- batching.py        the job: due items claimed into messages, never sent twice.
- sending.py         sending one message (bot, userbot or both) and recording how it went.
- replies.py         provider replies: which requests they answer, and what they say.
- customer.py        telling customers what happened (e.g. the provider declined).
- chats.py           provider chats as stored in the provider settings.
- userbot.py         what the login API and the userbot worker share (queue, jobs, answer).
- userbot_login.py   the web app's login steps, each asked of the userbot worker.
- userbot_worker.py  the login steps the userbot worker runs.
- userbot_pool.py    the accounts the userbot worker holds connected.

What runs where: the API only enqueues (login steps, which it then waits for). Every
provider dispatch job and every Telethon client lives in the userbot worker
(`supportai userbot`, an arq worker on USERBOT_QUEUE). The pipeline (main worker) calls
provider APIs and schedules dispatch jobs; Telegram updates from provider chats reach
`handle_provider_reply`.
"""
