"""The web app's committed OpenAPI document and generated client match the API.

After changing a route: `cd frontend && npm run gen:api`, and commit what it writes.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from supportai.app import openapi_document

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
GENERATED = FRONTEND / "src" / "api" / "gen"
OPENAPI_TS = FRONTEND / "node_modules" / ".bin" / "openapi-ts"
STALE = "out of date: run `cd frontend && npm run gen:api` and commit the result"


def files_under(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): path.read_text() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_committed_openapi_document_is_the_apps():
    assert (FRONTEND / "openapi.json").read_text() == openapi_document(), f"frontend/openapi.json is {STALE}"


@pytest.mark.skipif(not OPENAPI_TS.exists() or shutil.which("node") is None,
                    reason="frontend/node_modules is not installed")
def test_regenerating_the_client_changes_nothing(tmp_path: Path):
    output = tmp_path / "gen"
    subprocess.run(
        [str(OPENAPI_TS)], cwd=FRONTEND, env={**os.environ, "OPENAPI_TS_OUTPUT": str(output)},
        check=True, capture_output=True, timeout=180,
    )
    regenerated, committed = files_under(output), files_under(GENERATED)
    assert sorted(regenerated) == sorted(committed), f"frontend/src/api/gen is {STALE}"
    changed = [name for name in committed if committed[name] != regenerated[name]]
    assert not changed, f"{', '.join(changed)} in frontend/src/api/gen {'is' if len(changed) == 1 else 'are'} {STALE}"
