"""Personal data kept the way the law asks: erasure of one customer on request, retention
periods per source with a purge that keeps the aggregates scorecards need.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.privacy.actions import (
    do_erase_customer,
    do_purge,
    do_purge_if_due,
    do_set_policy,
)
from qa_app.services.privacy.erasure import ErasureReport, customer_ref, erase_customer
from qa_app.services.privacy.retention import (
    MAX_DAYS,
    PURGE_INTERVAL,
    Policy,
    PurgeReport,
    SourcePurge,
    list_policies,
    purge,
    purge_if_due,
    set_policy,
    week_start,
)
from qa_app.services.privacy.screens import LastPurge, PrivacyScreen, privacy_screen

__all__ = [
    "MAX_DAYS",
    "PURGE_INTERVAL",
    "ErasureReport",
    "LastPurge",
    "Policy",
    "PrivacyScreen",
    "PurgeReport",
    "SourcePurge",
    "customer_ref",
    "do_erase_customer",
    "do_purge",
    "do_purge_if_due",
    "do_set_policy",
    "erase_customer",
    "list_policies",
    "privacy_screen",
    "purge",
    "purge_if_due",
    "set_policy",
    "week_start",
]
