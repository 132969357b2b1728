"""Version 1 of the JSON API: one NinjaAPI, its routers, and its problem+json errors."""

from ninja import NinjaAPI

from yjs.api import problems
from yjs.api.auth import TokenAuth, TokenRateThrottle

DESCRIPTION = """
The youth justice service platform's API. Every request carries a personal API token
(`Authorization: Bearer <token>`, made on the account's *API tokens* page) and acts with its
user's rights: the same permission rules, output scope and audit trail as the pages.
Practitioners reach the children of their own team, managers those of their service;
performance analysts and board members get figures only, never a named child. Counts of 1 to 4
children are never sent. Errors are `application/problem+json` (RFC 9457).
"""

api = NinjaAPI(
    title="Youth justice service platform API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=TokenRateThrottle(),
    docs_url=None,  # served at /api/docs for a signed-in user (yjs.api.views.docs)
    openapi_url="/openapi.json",
)
problems.install(api)

from . import children, governance, performance  # noqa: E402  (routers use `api`)

api.add_router("/", children.router)
api.add_router("/", performance.router)
api.add_router("/", governance.router)
