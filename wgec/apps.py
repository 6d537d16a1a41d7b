from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WgecConfig(AppConfig):
    name = "wgec"
    verbose_name = "Working group"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from wgec import public_version
        from wgec.services import (
            profile_language_restore_on_login,
            secretariat_group_sync_after_migrate,
        )
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
        # The public pages' version token, which keys their cached parts, is kept by triggers
        # on the tables of every room (post_migrate comes after the whole migrate's migrations).
        post_migrate.connect(public_version.install_after_migrate, sender=self)
        # A person's language, kept in their profile, applies from their login on.
        user_logged_in.connect(
            profile_language_restore_on_login, dispatch_uid="wgec.profile_language_restore"
        )
