"""The API documentation page (`/schema`), whole without the internet: Swagger UI's script,
styles and icon come from the swagger-ui-py package and are served by the API itself under
`/schema/assets/`, instead of the CDN Litestar's pages load them from."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from litestar import Router
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

SCHEMA_PATH = "/schema"
ASSETS = f"{SCHEMA_PATH}/assets"


def swagger_ui_assets() -> Path:
    """The package's static folder, found without importing it (it pulls in Jinja)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed: pip install -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


class OfflineSwaggerPlugin(SwaggerRenderPlugin):
    def __init__(self) -> None:
        super().__init__(
            path=["/", "/swagger"],
            js_url=f"{ASSETS}/swagger-ui-bundle.js",
            css_url=f"{ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
        )

    def receive_router(self, router: Router) -> None:
        router.register(create_static_files_router(
            path="/assets", directories=[swagger_ui_assets()], include_in_schema=False,
            opt={"exclude_from_auth": True},
        ))
