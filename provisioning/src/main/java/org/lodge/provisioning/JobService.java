package org.lodge.provisioning;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.job.JobStore;
import org.lodge.provisioning.secret.SecretCipher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reading jobs: their state, their log, and the FTP credentials a creation job produced. Staff
 * see everything; a tenant's customers see what failed but not the error's text, which may hold
 * host paths or tool output (see {@link #forCustomer(LogLine)}).
 */
@Service
public class JobService {

    private final JobRepository jobs;
    private final JobStore store;
    private final JdbcClient jdbc;
    private final SecretCipher cipher;

    public JobService(JobRepository jobs, JobStore store, JdbcClient jdbc, SecretCipher cipher) {
        this.jobs = jobs;
        this.store = store;
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    @Transactional(readOnly = true)
    public JobView find(UUID jobId, TenantScope scope) {
        return shown(owned(jobId, scope).view(), scope);
    }

    /** Log lines after {@code afterId}, so a page or a client can follow the log as it grows. */
    public List<LogLine> log(UUID jobId, long afterId, TenantScope scope) {
        owned(jobId, scope);
        List<LogLine> lines = store.logAfter(jobId, afterId);
        return scope.tenantId().isEmpty() ? lines : lines.stream().map(JobService::forCustomer).toList();
    }

    public List<JobView> list(JobFilter filter, TenantScope scope, int limit) {
        UUID tenant = scope.tenantId().orElse(filter.tenantId());
        if (scope.tenantId().isPresent() && filter.tenantId() != null && !filter.tenantId().equals(tenant)) {
            return List.of();
        }
        List<UUID> ids = jdbc.sql("""
                select id from provisioning_job
                 where (cast(:tenant as uuid) is null or tenant_id = cast(:tenant as uuid))
                   and (cast(:state as varchar) is null or state = cast(:state as varchar))
                   and (cast(:kind as varchar) is null or kind = cast(:kind as varchar))
                   and (cast(:unit as uuid) is null or unit_id = cast(:unit as uuid))
                 order by created_at desc limit :limit""")
                .param("tenant", tenant).param("state", filter.state() == null ? null : filter.state().name())
                .param("kind", filter.kind() == null ? null : filter.kind().name()).param("unit", filter.unitId())
                .param("limit", limit).query(UUID.class).list();
        return jobs.findAllById(ids).stream().map(j -> shown(j.view(), scope))
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).toList();
    }

    /**
     * The FTP credentials of a successful creation job, exactly once: the sealed password is
     * deleted as it is read and opened, and only its hash remains (inside the jail or VM).
     */
    @Transactional
    public Optional<FtpCredentials> revealCredentials(UUID jobId, TenantScope scope, String caller) {
        JobEntity job = owned(jobId, scope);
        // A reset's new password belongs to the one who asked for it, not to everyone who may read the job.
        if (UnitKind.revealsToRequesterOnly(job.kind()) && !job.createdBy().equals(caller)) {
            throw new NotFoundException("credentials of job " + jobId);
        }
        if (job.state() != JobState.OK || !UnitKind.revealsCredentials(job.kind())) {
            return Optional.empty();
        }
        Optional<FtpCredentials> secret = jdbc.sql("""
                delete from job_secret s using unit j
                 where s.job_id = :job and j.id = :unit
                returning host(j.ipv4) as host, s.ftp_user, s.ftp_password_sealed""")
                .param("job", jobId).param("unit", job.unitId())
                .query((rs, n) -> new FtpCredentials(rs.getString("host"), rs.getString("ftp_user"),
                        cipher.open(rs.getString("ftp_password_sealed"))))
                .optional();
        return secret;
    }

    private static JobView shown(JobView job, TenantScope scope) {
        if (scope.tenantId().isEmpty() || job.lastError() == null) {
            return job;
        }
        String step = job.lastError().split(":", 2)[0];
        return new JobView(job.id(), job.kind(), job.state(), job.tenantId(), job.unitId(), job.unitLabel(), job.node(),
                job.currentStep(), step + " failed" + STAFF_ONLY, job.attempts(), job.createdBy(), job.createdAt(),
                job.startedAt(), job.finishedAt());
    }

    /**
     * A warning or error line keeps its words before the error's own text ("failed", "exit status
     * KO"); an information line keeps its words but not the node's file paths (a tool's summary
     * such as resize2fs's names the image file).
     */
    private static LogLine forCustomer(LogLine line) {
        if ("INFO".equals(line.level())) {
            return new LogLine(line.id(), line.at(), line.step(), line.level(),
                    HOST_PATH.matcher(line.message()).replaceAll("[path]"));
        }
        String ours = line.message().split(":", 2)[0];
        return new LogLine(line.id(), line.at(), line.step(), line.level(), ours + STAFF_ONLY);
    }

    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w/:])(/[\\w.@%+-]+){2,}/?");
    private static final String STAFF_ONLY = " (the details are in the log staff can read)";

    private JobEntity owned(UUID jobId, TenantScope scope) {
        return jobs.findById(jobId).filter(j -> scope.allows(j.tenantId()))
                .orElseThrow(() -> new NotFoundException("job " + jobId));
    }
}
