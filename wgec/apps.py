from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WgecConfig(AppConfig):
    name = "wgec"
    verbose_name = "Working group"

    def ready(self) -> None:
        from django.contrib import admin

        from wgec.services import secretariat_group_sync_after_migrate
        from wgec.text_checks import CheckedModelForm

        # Every admin page's form, unless an admin names its own (which then builds on
        # CheckedTextMixin), refuses control characters in text with the field named.
        admin.ModelAdmin.form = CheckedModelForm
        admin.options.InlineModelAdmin.form = CheckedModelForm

        # After every app's post_migrate, not only this one's: the permissions of the rooms
        # installed after this one are created by their own signal, later in the same migrate.
        post_migrate.connect(
            secretariat_group_sync_after_migrate, dispatch_uid="wgec.secretariat_group_sync"
        )
