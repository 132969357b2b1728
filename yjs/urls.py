from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from yjs.api.urls import api_urls
from yjs.casework import views as casework_views

urlpatterns = [
    path("", casework_views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(template_name="sign_in.html"), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("yjs.organisation.urls")),
    path("performance/", include("yjs.performance.urls")),
    path("governance/", include("yjs.governance.urls")),
    path("audit/", include("yjs.audit.urls")),
    path("", include("yjs.supervision.urls")),
    path("", include("yjs.casework.urls")),
    path("", include("yjs.court.urls")),
    path("", include("yjs.diversion.urls")),
    path("", include("yjs.documents.urls")),
    path("", include("yjs.diary.urls")),
    path("", include("yjs.people.urls")),
    path("", include("yjs.parenting.urls")),
    path("", include("yjs.quality.urls")),
    path("", include("yjs.programmes.urls")),
    path("", include("yjs.voice.urls")),
    path("", include("yjs.workforce.urls")),
    path("", include("yjs.api.urls")),
    *api_urls,
]
