package org.lodge.provisioning.job;

import org.lodge.provisioning.Worded;

/**
 * The job log lines a person reads, by code: the engine's, and the steps' of the jobs a customer
 * may start on a unit (start, stop, restart, reinstall, FTP password reset, backup, restore).
 * Each has its English MessageFormat pattern here and in i18n/joblog.properties, and its Italian
 * one in joblog_it.properties (MessageBundlesTest checks all three agree). Lines about the host
 * (paths, tools, repositories) are written as plain English and stay so.
 */
public enum JobWords implements Worded {
    QUEUED("engine.queued", "{0} of {1} queued by {2} for node {3}"),
    NO_PLAN("engine.no-plan", "no worker plan for job kind {0}"),
    ATTEMPT("engine.attempt", "attempt {0} on {1}: {2} steps"),
    COMPENSATION_ONLY("engine.compensation-only", "attempt {0}: undoing every step (compensation only)"),
    RETRY("engine.retry", "retry {0} after"),
    INTERRUPTED("engine.interrupted", "interrupted"),
    FAILED("engine.failed", "failed"),
    STEP_DONE("engine.step-done", "done in {0,number,#} ms"),
    COMPENSATED("engine.compensated", "compensated"),
    COMPENSATION_FAILED("engine.compensation-failed", "compensation failed, may need an operator"),
    EXIT_OK("engine.exit-ok", "exit status OK"),
    EXIT_KO("engine.exit-ko", "exit status KO"),
    TAKEN_OVER("engine.taken-over", "attempt {0} stops here: the job was taken up again by a newer attempt"),
    REVIVED("engine.revived", "the worker running this job stopped responding; the job is taken up again"),
    NOT_TAKEN("engine.not-taken",
            "no worker took the job within {0,number,#} min (is the node''s worker running?); exit status KO"),

    UNIT_NOW("unit.now", "{0} is now {1}"),
    HTTP_OK("unit.http-ok", "GET http://{0}/ with Host: {1} → 200, {2,choice,0#|1#first }{3,number,#} characters"),
    HTTP_OK_NAMED("unit.http-ok-named",
            "GET http://{0}/ with Host: {1} → 200, {2,choice,0#|1#first }{3,number,#} characters naming the domain"),
    FTP_TLS("unit.ftp-tls", "FTP over explicit TLS ({0}), certificate for {1} signed by the node CA"),
    FTP_LOGIN("unit.ftp-login", "FTP login as {0} on {1}:21 accepted, data connections encrypted"),
    FTP_UPLOADED("unit.ftp-uploaded", "uploaded {0} ({1,number,#} bytes) and found it in the listing"),
    FTP_SERVED("unit.ftp-served", "GET /{0} over HTTP returned the uploaded content"),
    FTP_TEST_REMOVED("unit.ftp-test-removed", "test file removed"),
    FTP_NEW_PASSWORD("unit.ftp-new-password", "FTP user {0} gets a new random password"),
    FTP_KEEPS_PASSWORD("unit.ftp-keeps-password", "FTP user {0} keeps the password chosen earlier"),

    ALREADY_RUNNING("jail.already-running", "already running"),
    STARTED("jail.started", "started, init pid {0,number,#} on the host, at most {1,number,#} tasks"),
    STOPPED("jail.stopped", "stopped"),
    NOT_RUNNING("jail.not-running", "not running"),
    STOPPING_HARD("jail.stopping-hard", "no clean shutdown within {0,number,#} s, stopping hard"),
    STOPPED_CLEANLY("jail.stopped-cleanly", "stopped cleanly in {0,number,#} ms"),
    STOPPED_UNMOUNTED("jail.stopped-unmounted", "stopped, image unmounted"),
    PASSWORD_IN_PLACE("jail.password-in-place", "the new password of {0} is already in place (an earlier attempt of this job)"),
    PASSWORD_REPLACED("jail.password-replaced", "password hash of FTP user {0} replaced in the jail''s shadow file"
            + " (SHA-512 crypt); the previous one is kept until the new password is proven"),
    PASSWORD_NOT_MOUNTED("jail.password-not-mounted", "the jail's image is not mounted: its FTP password was left as it is"),
    NO_PREVIOUS_PASSWORD("jail.no-previous-password", "no previous password to put back"),
    PASSWORD_PUT_BACK("jail.password-put-back", "previous FTP password of {0} put back"),
    OLD_PASSWORD_REMOVED("jail.old-password-removed",
            "previous password hash removed from the jail: only the new password opens FTP"),
    OTHER_PASSWORD_REFUSED("jail.other-password-refused", "FTP login as {0} with another password refused ({1,number,#})"),
    STATIC_ONLY("jail.static-only", "template {0} serves static files only: no PHP to prove"),
    PHP_OK("jail.php-ok", "GET http://{0}/index.php with a fresh nonce → 200, PHP {1} computed its SHA-256 correctly"),
    ALREADY_REINSTALLED("jail.already-reinstalled", "image already rebuilt from template {0} {1} (previous image kept aside)"),
    REINSTALLED("jail.reinstalled", "new image in place (a clean filesystem, e2fsck -fn), previous image kept aside"
            + " until the jail has passed its tests; the unit now runs template {0} {1} with {2,number,#} MiB"),
    PREVIOUS_IMAGE_BACK("jail.previous-image-back", "previous image back in place"),
    TEMPLATE_AGAIN("jail.template-again", "the unit runs template {0} again"),
    PREVIOUS_IMAGE_DELETED("jail.previous-image-deleted", "previous image deleted"),

    VM_STARTED("vm.started", "domain started; the guest boots and applies its seed"),
    VM_POWERED_OFF("vm.powered-off", "powered off"),
    VM_ACPI_SENT("vm.acpi-sent", "ACPI shutdown sent; waiting up to {0,number,#} s"),
    VM_ACPI_IGNORED("vm.acpi-ignored", "the guest ignored the ACPI shutdown for {0,number,#} s: forcing it off"),
    VM_GUEST_OFF("vm.guest-off", "the guest powered off after {0,number,#} ms"),
    VM_FORCED_OFF("vm.forced-off", "powered off (no shutdown asked of the guest)"),
    VM_SUSPENDED("vm.suspended", "suspended: vCPUs paused, memory kept"),
    VM_RESUMED("vm.resumed", "resumed"),
    VM_ALREADY_SHUTOFF("vm.already-shutoff", "already shutoff"),
    VM_ALREADY_PAUSED("vm.already-paused", "already paused"),
    VM_ALREADY_REINSTALLED("vm.already-reinstalled",
            "disk already made again from template {0} {1} (previous disk kept aside)"),
    VM_REINSTALLED("vm.reinstalled", "new disk in place: a linked clone of template {0} {1}, {2}; the previous disk"
            + " and seed are kept aside until the VM has passed its tests; domain defined again"),
    VM_DISK_ALREADY_SWAPPED("vm.disk-already-swapped", "disk already swapped by an earlier run of this job"),
    VM_STARTED_AGAIN("vm.started-again", "the VM was running before the restore: started again"),
    VM_PREVIOUS_DISK_DELETED("vm.previous-disk-deleted", "previous disk and seed deleted"),

    FROZEN("backup.frozen", "filesystem frozen for {0,number,#} ms ({1} of the image) while the jail kept running"),
    COPIED_STOPPED("backup.copied-stopped", "jail not running: image copied ({0}) without a freeze"),
    COPY_MOUNTED("backup.copy-mounted", "copy mounted read-only for the backup"),
    VERIFIED("backup.verified", "backup verified"),
    SAME_FILES("backup.same-files", "same files as the backup of {0}, verified {1}: its test restore stands for this one"),
    NOTHING_WRITTEN("backup.nothing-written", "nothing written to the jail''s filesystem since the backup of {0}"
            + " (the same mount, its write counter unchanged): this backup is its snapshot {1}, verified {2};"
            + " no freeze, no restic"),
    WRITTEN_SINCE("backup.written-since", "{0,number,#} KiB written to the jail''s filesystem since the backup of {1}:"
            + " the backup runs"),
    MOUNTED_AGAIN("backup.mounted-again", "the jail''s filesystem is not the mount of the backup of {0} (restarted,"
            + " restored or the node rebooted since): the backup runs"),
    ALREADY_RESTORED("backup.already-restored", "image already restored from {0} (previous image kept aside)"),
    RESTORED_FTP("backup.restored-ftp", "FTP user {0} gets the new password of this job (shown once)"),
    RESTORED_CLEAN("backup.restored-clean", "restored image is a clean filesystem (e2fsck -fn)"),
    RESTORED_IN_PLACE("backup.restored-in-place",
            "restored image in place, previous image kept aside until the jail has passed its tests"),
    PREVIOUS_VERSIONS_DELETED("backup.previous-versions-deleted", "previous versions deleted");

    /** Codes in the bundles are "joblog." + this. */
    public static final String PREFIX = "joblog.";

    private final String code;
    private final String english;

    JobWords(String code, String english) {
        this.code = PREFIX + code;
        this.english = english;
    }

    @Override
    public String code() {
        return code;
    }

    /** The English MessageFormat pattern, as in joblog.properties. */
    @Override
    public String english() {
        return english;
    }
}
