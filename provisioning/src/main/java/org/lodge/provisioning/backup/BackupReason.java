package org.lodge.provisioning.backup;

import org.lodge.provisioning.Worded;

/**
 * Why a backup is KO, by code (i18n/backup: "backup.reason." + code), shown on the unit page, the
 * staff backups page and in the BACKUP_FAILED alert in the reader's language.
 */
public enum BackupReason implements Worded {
    FAILED_IN_STEP("failed-in-step", "failed in step {0} (see the job log)"),
    SUSPICIOUSLY_SMALL("suspiciously-small", "suspiciously small: {0,number,0.0} MiB backed up while the unit uses"
            + " {1,number,0.0} MiB (less than {2,number,#} % of it)"),
    OVER_QUOTA("over-quota", "over the tenant''s backup quota: with this backup its backups would take {0,number,0.0} MiB,"
            + " the quota is {1,number,0.0} MiB; no other backup was deleted (delete or unprotect old backups, or ask"
            + " staff for a larger quota)"),
    REVERIFICATION_FAILED("reverification-failed", "re-verification failed: {0}");

    private final String code;
    private final String english;

    BackupReason(String code, String english) {
        this.code = "backup.reason." + code;
        this.english = english;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String english() {
        return english;
    }
}
