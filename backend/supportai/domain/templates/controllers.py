from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from supportai.api.dependencies import PrincipalDep, TenantSession
from supportai.domain.templates import service
from supportai.domain.templates.schemas import LanguageOut, PreviewIn, PreviewOut, TemplateIn, TemplateOut

# A built-in language's code (GET /api/templates/languages); an unknown one is a 400.
Language = Annotated[str, QueryParameter(min_length=2, max_length=16, description="A built-in language's code")]


class TemplateController(Controller):
    path = "/api/templates"
    tags = ["templates"]

    @get(operation_id="listTemplates", summary="Reply templates in one language: the tenant's text and the built-in")
    async def list_templates(
        self, db_session: TenantSession, language: Language = service.ENGLISH
    ) -> list[TemplateOut]:
        return await service.list_templates(db_session, language)

    @get("/languages", operation_id="listTemplateLanguages",
         summary="The languages replies can be written in, with how many templates the owner edited in each")
    async def list_languages(self, db_session: TenantSession) -> list[LanguageOut]:
        return await service.list_languages(db_session)

    @put("/{key:str}", operation_id="saveTemplate", summary="Edit a reply template", opt={"owner_only": True})
    async def save(
        self, key: FromPath[str], data: JSONBody[TemplateIn], principal: PrincipalDep, db_session: TenantSession,
        language: Language = service.ENGLISH,
    ) -> TemplateOut:
        return await service.save_template(db_session, principal, key, data.text, language)

    @delete("/{key:str}", operation_id="resetTemplate", summary="Go back to the built-in text",
            opt={"owner_only": True})
    async def reset(
        self, key: FromPath[str], principal: PrincipalDep, db_session: TenantSession,
        language: Language = service.ENGLISH,
    ) -> None:
        await service.reset_template(db_session, principal, key, language)

    @post("/{key:str}/preview", operation_id="previewTemplate", summary="Render a template with sample facts",
          status_code=200)
    async def preview(
        self, key: FromPath[str], data: JSONBody[PreviewIn], db_session: TenantSession,
        language: Language = service.ENGLISH,
    ) -> PreviewOut:
        return PreviewOut(rendered=await service.preview(db_session, key, data.text, language))
