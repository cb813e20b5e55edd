package org.lodge.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.FtpCredentials;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.NotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way the portal reveals a job's FTP password (job page and API): every attempt is
 * audited in the same transaction as the reveal, so no password leaves without its record.
 */
@Component
public class CredentialsReveal {

    private final JobService jobs;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public CredentialsReveal(JobService jobs, AuditLog audit, PlatformTransactionManager transactions) {
        this.jobs = jobs;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
    }

    public Optional<FtpCredentials> reveal(PortalUser user, UUID jobId, HttpServletRequest request) {
        try {
            return tx.execute(status -> {
                Optional<FtpCredentials> credentials = jobs.revealCredentials(jobId, user.scope(), user.getUsername());
                audit.credentials(user.getUsername(), jobId, credentials.isPresent() ? AuditLog.CREDENTIALS_REVEALED
                        : AuditLog.CREDENTIALS_GONE, request.getRemoteAddr());
                return credentials;
            });
        } catch (NotFoundException e) {
            // Outside the transaction, which the refusal rolled back: the attempt is recorded all the same.
            audit.credentials(user.getUsername(), jobId, AuditLog.CREDENTIALS_DENIED, request.getRemoteAddr());
            throw e;
        }
    }
}
