"""Every error the API gives is problem+json, including the few Django or ninja answer before
an endpoint runs (405 for a wrong method, a 500 outside an endpoint)."""

from __future__ import annotations

from .problems import CONTENT_TYPE, problem

API_PREFIX = "/api/v1/"


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and response.get("Content-Type") != CONTENT_TYPE
        ):
            replaced = problem(response.status_code, response.reason_phrase)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
