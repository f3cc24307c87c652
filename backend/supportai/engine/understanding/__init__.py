"""Message understanding: order IDs, intents and provider replies, offline and fast.

`understand(text)` reads a customer message in any language: the order IDs it names and
what the customer wants for each (refill, cancel, speed_up, other), with a confidence
and the detected language. `analyse_provider_reply(text)` reads a provider's answer:
confirm, decline or ambiguous, and the order IDs it mentions. Both are pure functions
of the text, deterministic, with no I/O; the language knowledge lives in the data files
of `lexicons/` (one per language).
"""

from supportai.engine.understanding.model import (
    MAX_ORDERS_PER_MESSAGE,
    OrderIntent,
    ProviderReply,
    Understanding,
)
from supportai.engine.understanding.replies import analyse_provider_reply
from supportai.engine.understanding.weighing import understand

__all__ = [
    "MAX_ORDERS_PER_MESSAGE",
    "OrderIntent",
    "ProviderReply",
    "Understanding",
    "analyse_provider_reply",
    "understand",
]
