"""The demo's simulated time: it starts at the real time and runs `3600 / hour_s` times
faster, so a follow-up due after 24 hours comes after a minute or so.

The simulated panel and providers live on it (the demo moves the simulator's clock along),
and SupportAI's follow-up monitoring keeps its pace (`SUPPORTAI_TIME_SCALE`: a 6-hour
tracking interval lasts 6 simulated hours). Everything else in SupportAI keeps the real
clock: sign-in tokens, decisions on an order's age, dispatch windows.
"""

from __future__ import annotations

import time


class FastClock:
    def __init__(self, hour_s: float) -> None:
        if hour_s <= 0:
            raise ValueError("a simulated hour must last some real time")
        self.hour_s = hour_s
        self.speed = 3600 / hour_s
        self.started = time.time()

    def now(self) -> float:
        return self.started + (time.time() - self.started) * self.speed

    def label(self) -> str:
        """"day 2 14:05": simulated time since the demo started (it starts at day 1 00:00)."""
        elapsed = int(self.now() - self.started)
        days, rest = divmod(elapsed, 86_400)
        return f"day {days + 1} {rest // 3600:02d}:{rest % 3600 // 60:02d}"
