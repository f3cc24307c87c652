"""Helpers shared by the integration tests of the panel and provider clients."""

from __future__ import annotations

from supportai.integrations.http import RetryPolicy

# Short backoff keeps retry tests fast; the retry behaviour itself is what they check.
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
