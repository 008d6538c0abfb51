from django.urls import path

from qingzhai.web.views import assign, audit, auth, cases, queue

# Sign-in pages live under /accounts/, which the two-factor middleware leaves open.
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/otp/", auth.otp_view, name="otp"),
    path("cases/<int:pk>/", cases.case_page, name="case"),
    path("cases/<int:pk>/activity/", cases.case_activity, name="case_activity"),
    path("cases/<int:pk>/promise/", cases.case_promise, name="case_promise"),
    path("cases/<int:pk>/payment/", cases.case_payment, name="case_payment"),
    path("cases/<int:pk>/stage/", cases.case_stage, name="case_stage"),
    path("cases/<int:pk>/next-action/", cases.case_next_action, name="case_next_action"),
    path("cases/<int:pk>/reveal/", cases.case_reveal, name="case_reveal"),
    path("assign/", assign.assign, name="assign"),
    path("audit/", audit.audit_log, name="audit"),
]
