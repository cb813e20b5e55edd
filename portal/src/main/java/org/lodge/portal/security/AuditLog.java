package org.lodge.portal.security;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Records logins, failed logins, denied access, reveals of FTP credentials and consoles; failed
 * logins also feed the throttle.
 */
@Component
public class AuditLog {

    public static final String LOGIN_OK = "LOGIN_OK";
    public static final String LOGIN_FAILED = "LOGIN_FAILED";
    public static final String LOGIN_THROTTLED = "LOGIN_THROTTLED";
    public static final String SECOND_FACTOR_OK = "SECOND_FACTOR_OK";
    public static final String SECOND_FACTOR_FAILED = "SECOND_FACTOR_FAILED";
    public static final String TWO_FACTOR_ENABLED = "TWO_FACTOR_ENABLED";
    public static final String TWO_FACTOR_DISABLED = "TWO_FACTOR_DISABLED";
    public static final String TWO_FACTOR_DISABLE_FAILED = "TWO_FACTOR_DISABLE_FAILED";
    public static final String TWO_FACTOR_RESET = "TWO_FACTOR_RESET";
    static final String ACCESS_DENIED = "ACCESS_DENIED";
    static final String CONSOLE_DENIED = "CONSOLE_DENIED";
    static final String CREDENTIALS_REVEALED = "CREDENTIALS_REVEALED";
    static final String CREDENTIALS_GONE = "CREDENTIALS_GONE";
    static final String CREDENTIALS_DENIED = "CREDENTIALS_DENIED";
    static final String CONSOLE_OPENED = "CONSOLE_OPENED";
    public static final String PASSWORD_CHANGED = "PASSWORD_CHANGED";
    public static final String PASSWORD_CHANGE_FAILED = "PASSWORD_CHANGE_FAILED";
    public static final String TOKEN_CREATED = "TOKEN_CREATED";
    public static final String TOKEN_REVOKED = "TOKEN_REVOKED";
    public static final String EMAIL_CHANGED = "EMAIL_CHANGED";
    public static final String BACKUP_DELETE_REQUESTED = "BACKUP_DELETE_REQUESTED";

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Interactive logins only: an API call authenticates on every request and would flood the table. */
    @EventListener
    public void onSuccess(InteractiveAuthenticationSuccessEvent event) {
        record(event.getAuthentication(), LOGIN_OK, "login");
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        record(event.getAuthentication(), LOGIN_FAILED, event.getException().getClass().getSimpleName());
    }

    @EventListener
    public void onDenied(AuthorizationDeniedEvent<?> event) {
        Authentication auth = event.getAuthentication().get();
        if (auth != null && auth.isAuthenticated() && !"anonymousUser".equals(auth.getName())) {
            record(auth, ACCESS_DENIED, String.valueOf(event.getSource()));
        }
    }

    public long recentFailures(String username, Duration window) {
        return jdbc.sql("select count(*) from audit_event where principal = :p and kind = :k and at > :since")
                .param("p", username).param("k", LOGIN_FAILED).param("since", Timestamp.from(Instant.now().minus(window)))
                .query(Long.class).single();
    }

    /** Failures of any of {@code kinds} (failed logins, wrong current passwords) since {@code window} ago. */
    public long recentFailures(String username, Duration window, java.util.List<String> kinds) {
        return jdbc.sql("select count(*) from audit_event where principal = :p and kind in (:k) and at > :since")
                .param("p", username).param("k", kinds).param("since", Timestamp.from(Instant.now().minus(window)))
                .query(Long.class).single();
    }

    /** Something a user did to their own account (password, tokens), in words without secrets. */
    public void account(String principal, String kind, String detail, String remote) {
        record(principal, kind, detail, remote);
    }

    /**
     * A console refused: its ticket missing, spent, expired or presented by another user, the unit
     * no longer visible to the user, or the node's gateway said no (the reason says which).
     */
    public void consoleDenied(String principal, String reason, String remote) {
        record(principal, CONSOLE_DENIED, "console refused: " + reason, remote);
    }

    /** A console opened: who, which unit. */
    public void consoleOpened(String principal, UUID unitId, String domain, String remote) {
        record(principal, CONSOLE_OPENED, "console of unit " + unitId + " (" + domain + ")", remote);
    }

    /** Staff asked to delete a backup: who, which backup of which unit, the job that deletes it. */
    public void backupDeletion(String principal, UUID backupId, String domain, UUID jobId, String remote) {
        record(principal, BACKUP_DELETE_REQUESTED, "backup " + backupId + " of " + domain + ", job " + jobId, remote);
    }

    /** A reveal of a job's FTP credentials: shown, already gone, or refused (not the user's job). */
    void credentials(String principal, UUID jobId, String kind, String remote) {
        record(principal, kind, "FTP credentials of job " + jobId, remote);
    }

    private void record(Authentication auth, String kind, String detail) {
        record(auth.getName(), kind, detail,
                auth.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null);
    }

    private void record(String name, String kind, String detail, String remote) {
        String principal = truncate(name, 64);
        jdbc.sql("insert into audit_event (principal, kind, detail, remote_addr) values (:p, :k, :d, :r)")
                .param("p", principal).param("k", kind).param("d", truncate(detail, 500)).param("r", remote).update();
        log.info("audit {} {} from {}", kind, principal, remote);
    }

    private static String truncate(String text, int max) {
        String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
