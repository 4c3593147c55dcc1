"""Operations: backup and restore of a whole installation.

A small app of its own, not lmn.core: core imports no app, and a restore ends by
verifying the audit trail (lmn.audit), so this app sits above audit.
"""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lmn.ops"
    label = "ops"
