from django.urls import path

from campaigns.views import activations, approvals, audit, campaigns, drafts, health

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/drafts/new", drafts.new_draft, name="draft-new"),
    path("drafts/", drafts.my_drafts, name="my-drafts"),
    path("drafts/<int:pk>/", drafts.draft_editor, name="draft-editor"),
    path("drafts/<int:pk>/validate", drafts.validate_draft, name="draft-validate"),
    path("drafts/<int:pk>/submit", drafts.submit_draft, name="draft-submit"),
    path("drafts/<int:pk>/withdraw", drafts.withdraw_draft, name="draft-withdraw"),
    path("drafts/<int:pk>/rebase", drafts.rebase_draft, name="draft-rebase"),
    path("approvals/", approvals.approval_queue, name="approval-queue"),
    path("approvals/<int:pk>/approve", approvals.approve_draft, name="draft-approve"),
    path("approvals/<int:pk>/reject", approvals.reject_draft, name="draft-reject"),
    path("activations/", activations.activation_list, name="activation-list"),
    path("activations/<int:pk>/step", activations.activation_step, name="activation-step"),
    path("activations/<int:pk>/retry", activations.retry_activation, name="activation-retry"),
    path("audit/", audit.audit_trail, name="audit"),
    path("healthz", health.healthz, name="healthz"),
]
