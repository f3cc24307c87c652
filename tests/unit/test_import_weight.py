"""An API process must start fast (issue 14: a restart took ~12 s, most of it aiogram's
types): the Telegram client libraries are loaded only by the code that talks to Telegram."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
HEAVY = ("aiogram", "telethon")


def modules_loaded_by(statement: str) -> set[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPOSITORY, capture_output=True, text=True, check=True, timeout=120,
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("module", ["supportai.app", "workers.settings"])
def test_starting_a_process_loads_no_telegram_client_library(module):
    assert not modules_loaded_by(f"import {module}") & set(HEAVY)


def test_the_telegram_adapters_still_load_them_when_used():
    loaded = modules_loaded_by(
        "from supportai.integrations.telegram import parse_update\n"
        "parse_update({'update_id': 1})\n"
        "from supportai.integrations.telegram import TelethonUserbot\n"
        "TelethonUserbot(1, 'hash')"
    )
    assert set(HEAVY) <= loaded
