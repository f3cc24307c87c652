from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from supportai.api.dependencies import PrincipalDep, TenantSession
from supportai.domain.templates import service
from supportai.domain.templates.schemas import PreviewIn, PreviewOut, TemplateIn, TemplateOut


class TemplateController(Controller):
    path = "/api/templates"
    tags = ["templates"]

    @get(operation_id="listTemplates", summary="Reply templates: the tenant's text and the default")
    async def list_templates(self, db_session: TenantSession) -> list[TemplateOut]:
        return await service.list_templates(db_session)

    @put("/{key:str}", operation_id="saveTemplate", summary="Edit a reply template", opt={"owner_only": True})
    async def save(
        self, key: FromPath[str], data: JSONBody[TemplateIn], principal: PrincipalDep, db_session: TenantSession
    ) -> TemplateOut:
        return await service.save_template(db_session, principal, key, data.text)

    @delete("/{key:str}", operation_id="resetTemplate", summary="Go back to the default text", opt={"owner_only": True})
    async def reset(self, key: FromPath[str], principal: PrincipalDep, db_session: TenantSession) -> None:
        await service.reset_template(db_session, principal, key)

    @post("/{key:str}/preview", operation_id="previewTemplate", summary="Render a template with sample facts",
          status_code=200)
    async def preview(self, key: FromPath[str], data: JSONBody[PreviewIn], db_session: TenantSession) -> PreviewOut:
        return PreviewOut(rendered=await service.preview(db_session, key, data.text))
