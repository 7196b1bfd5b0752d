from django.urls import path

from zhongyan.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify_number, name="verify_number"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:version>/activate/", views.template_activate, name="template_activate"),
    path("<str:public_id>/", views.contract_detail, name="detail"),
    path("<str:public_id>/change/", views.contract_propose, name="propose"),
    path("<str:public_id>/lock/", views.contract_lock, name="lock"),
    path("<str:public_id>/reopen/", views.contract_reopen, name="reopen"),
    path("<str:public_id>/sign/", views.contract_sign, name="sign"),
    path("<str:public_id>/sign/code/", views.contract_send_code, name="send_code"),
    path("<str:public_id>/contract.pdf", views.contract_pdf, name="pdf"),
    path("<str:public_id>/completion.pdf", views.completion_pdf, name="completion_pdf"),
]
