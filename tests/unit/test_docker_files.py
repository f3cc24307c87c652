"""`docker compose config` cannot run here (no engine); check the file's shape instead."""

from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def test_compose_file_defines_the_whole_stack():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "api", "worker", "userbot", "web"} <= set(services)
    assert services["api"]["command"][:2] == ["supportai", "serve"]
    assert services["worker"]["command"] == ["supportai", "worker"]
    # API and worker come from one image definition.
    assert services["api"]["build"] == services["worker"]["build"]
    for name in ("api", "worker", "migrate", "userbot"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert environment["REDIS_URL"].startswith("redis://")
    for name, service in services.items():
        build = service.get("build")
        if build:
            dockerfile = (DOCKER / build["context"] / build["dockerfile"]).resolve()
            assert dockerfile.exists(), f"{name}: {dockerfile} is missing"
