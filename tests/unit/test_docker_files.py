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


def test_the_api_trusts_forwarded_addresses_from_the_web_proxy_only():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    web_address = services["web"]["networks"]["default"]["ipv4_address"]
    assert services["api"]["environment"]["FORWARDED_ALLOW_IPS"] == web_address
    assert services["api"]["environment"]["DATABASE_URL"] == services["worker"]["environment"]["DATABASE_URL"]
    nginx = (DOCKER.parent / "frontend" / "nginx.conf").read_text()
    for location in ("/api/", "~ ^/(telegram|payments)/"):
        block = nginx.split(f"location {location} {{", 1)[1].split("}", 1)[0]
        assert "proxy_pass http://api:8000;" in block
        assert "X-Forwarded-For $proxy_add_x_forwarded_for" in block
