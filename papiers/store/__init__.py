"""Storage of users, scans, corrections and the audit log (SQLite or PostgreSQL)."""

from papiers.store.base import (
    AuditDetails,
    AuditEntry,
    Correction,
    Role,
    Scan,
    ScanFile,
    ScanStats,
    ScanStatus,
    Store,
    User,
)

__all__ = [
    "AuditDetails",
    "AuditEntry",
    "Correction",
    "Role",
    "Scan",
    "ScanFile",
    "ScanStats",
    "ScanStatus",
    "Store",
    "User",
]
