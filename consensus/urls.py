"""The consensus room's pages. ``project/urls.py`` mounts ``consensus_patterns`` in the
``issues`` namespace, where their names have always been (``issues:proposal-detail``,
``issues:item-detail``)."""

from django.urls import path

from consensus.views import items, proposals

consensus_patterns = [
    # Proposals of the correspondence group.
    path("proposals/", proposals.proposal_list, name="proposal-list"),
    path("proposals/queue/", proposals.proposal_queue, name="proposal-queue"),
    path("proposals/new/", proposals.proposal_create, name="proposal-create-issue"),
    path(
        "issues/<int:pk>/propose/<str:kind>/",
        proposals.proposal_create,
        name="proposal-create",
    ),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<int:pk>/withdraw/", proposals.proposal_withdraw_view, name="proposal-withdraw"
    ),
    path("proposals/<int:pk>/accept/", proposals.proposal_accept_view, name="proposal-accept"),
    path("proposals/<int:pk>/decline/", proposals.proposal_decline_view, name="proposal-decline"),
    # Items without consensus and their referral to the working group.
    path("referrals/", items.referrals, name="referrals"),
    path("issues/<int:pk>/without-consensus/", items.item_create_view, name="item-create"),
    path("items/<int:pk>/", items.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item-edit"),
    path("items/<int:pk>/options/new/", items.option_create, name="option-create"),
    path("options/<int:pk>/edit/", items.option_edit, name="option-edit"),
    path("items/<int:pk>/support/", items.item_support, name="item-support"),
    path("items/<int:pk>/refer/", items.item_refer_view, name="item-refer"),
    path("items/<int:pk>/decision/", items.item_decide, name="item-decide"),
]
