"""The domain model, one module per concept. Importing this package registers every table."""

from .access import ApiToken, PartnerLink, SignInAttempt
from .action import (
    Action,
    ActionOwner,
    DeadlineChange,
    DeadlineChangeStatus,
    Evidence,
    Flag,
    Status,
    Update,
    UpdateRevision,
)
from .audit import AuditEvent, DataVersion
from .board import BoardMeeting
from .file_content import FileContent
from .notification import Notification, NotificationStatus
from .organisation import MEMBER_LEVELS, AccessLevel, Membership, Organisation, SsoDomain
from .oversight import OversightGrant, oversight_grant_organisations
from .repeat import RepeatLink, RepeatState
from .report import DatePrecision, OwnerSource, Recommendation, RecommendationRevision, Report
from .role import Contact, Role, RoleAlias, RoleTenure
from .types import utc_now
from .user import User

__all__ = [
    "AccessLevel",
    "Action",
    "ActionOwner",
    "ApiToken",
    "Evidence",
    "PartnerLink",
    "SignInAttempt",
    "UpdateRevision",
    "AuditEvent",
    "BoardMeeting",
    "DataVersion",
    "Contact",
    "DatePrecision",
    "DeadlineChange",
    "DeadlineChangeStatus",
    "Flag",
    "Membership",
    "Notification",
    "NotificationStatus",
    "Organisation",
    "OwnerSource",
    "Recommendation",
    "RecommendationRevision",
    "RepeatLink",
    "RepeatState",
    "Report",
    "Role",
    "RoleAlias",
    "RoleTenure",
    "FileContent",
    "Status",
    "Update",
    "User",
    "utc_now",
    "MEMBER_LEVELS",
    "OversightGrant",
    "SsoDomain",
    "oversight_grant_organisations",
]
