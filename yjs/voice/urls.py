from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("voice/", views.index, name="index"),
    path("voice/questionnaires/new/", views.new_questionnaire, name="new_questionnaire"),
    path("voice/questionnaires/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("voice/questionnaires/<int:pk>/questions/new/", views.add_question, name="add_question"),
    path("voice/questions/<int:pk>/remove/", views.remove_question, name="remove_question"),
    path("voice/report/", views.report, name="report"),
    path("voice/quotes/", views.quotes, name="quotes"),
    path("voice/answers/<int:pk>/choose/", views.choose_quote, name="choose_quote"),
    path("voice/pledges/", views.pledges, name="pledges"),
    path("voice/pledges/new/", views.new_pledge, name="new_pledge"),
    path("voice/pledges/<int:pk>/", views.pledge, name="pledge"),
    path("voice/pledges/<int:pk>/review/", views.review_pledge, name="review_pledge"),
    path("voice/responses/<int:pk>/", views.response, name="response"),
    path("children/<int:pk>/feedback/new/", views.record_feedback, name="record_feedback"),
    path("children/<int:pk>/feedback/link/", views.make_link, name="make_link"),
    # Open without signing in (organisation.middleware.OPEN_PATHS): the token is the key.
    path("have-your-say/<str:token>/", views.answer, name="answer"),
]
