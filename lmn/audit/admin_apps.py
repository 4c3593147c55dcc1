"""The Django admin with our audited site as the default `admin.site` (see admin_site)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class LmnAdminConfig(AdminConfig):
    default_site = "lmn.audit.admin_site.AuditedAdminSite"
