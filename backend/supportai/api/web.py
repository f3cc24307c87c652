"""The web app, served by the API at `/` when it has been built (`scripts/build-web` writes
`frontend/dist`): one origin, no proxy to set up.

It is the API's answer to a GET for an address no route has, so every route (the API, `/schema`,
`/health`, webhooks) keeps priority. A file of the build is sent as it is; any other address
outside the API is one of the app's own pages and gets `index.html`, whose router shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.response import File

from supportai.api.problems import handle_http_exception

# Addresses that are never the web app's: a miss there is a problem-details 404.
NOT_THE_APP = ("/api/", "/schema", "/health", "/telegram/", "/payments/")
IMMUTABLE = "public, max-age=31536000, immutable"  # Vite names each build's assets by their hash


def default_web_dir() -> str:
    """`frontend/dist` of the source tree this package runs from."""
    return str(Path(__file__).resolve().parents[3] / "frontend" / "dist")


def web_app_fallback(web_dir: str) -> Callable[[Request[Any, Any, Any], NotFoundException], Response[Any]]:
    root = Path(web_dir).resolve()

    def handle(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
        path = request.url.path
        if request.method in ("GET", "HEAD") and not path.startswith(NOT_THE_APP):
            page = _web_file(root, path)
            if page is not None:
                return page
        return handle_http_exception(request, exc)

    return handle


def _web_file(root: Path, path: str) -> File | None:
    index = root / "index.html"
    if not index.is_file():
        return None  # not built: a plain 404
    wanted = (root / path.lstrip("/")).resolve()
    if wanted.is_file() and wanted.is_relative_to(root):
        cache = IMMUTABLE if wanted.parent == root / "assets" else "no-cache"
        return _file(wanted, cache)
    if "." in path.rsplit("/", 1)[-1]:
        return None  # a missing file (an old asset, a typo) is a 404, not the app's page
    return _file(index, "no-cache")


def _file(path: Path, cache: str) -> File:
    return File(path, filename=path.name, content_disposition_type="inline", headers={"Cache-Control": cache})
