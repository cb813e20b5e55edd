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

    /**
     * The newest {@code limit} jobs matching the filter (a unit's page shows its own). Built like
     * {@link #page}, with only the conditions asked for: the former "(:param is null or column =
     * :param)" form cannot use the unit's index once PostgreSQL caches a generic plan for it.
     */
    public List<JobView> list(JobFilter filter, TenantScope scope, int limit) {
        return page(scope, new JobQuery("", List.of(), filter, 0, limit, "-created")).items();
    }

    private static final java.util.Map<String, String> ORDER = java.util.Map.of("-created", "j.created_at desc, j.id",
            "created", "j.created_at, j.id", "state", "j.state, j.created_at desc", "kind", "j.kind, j.created_at desc",
            "unit", "j.unit_label, j.created_at desc");

    /**
     * One page of jobs, searched, filtered and sorted in the database (the page's rows as flat
     * views, then a count), like the units list. A customer's scope limits it to their tenant.
     */
    @Transactional(readOnly = true)
    public ResultPage<JobView> page(TenantScope scope, JobQuery query) {
        JobFilter filter = query.filter();
        if (scope.tenantId().isPresent() && filter.tenantId() != null && !scope.allows(filter.tenantId())) {
            return new ResultPage<>(List.of(), query.page(), query.size(), 0);
        }
        StringBuilder where = new StringBuilder("true");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        UUID tenant = scope.tenantId().orElse(filter.tenantId());
        if (tenant != null) {
            where.append(" and j.tenant_id = :tenant");
            params.put("tenant", tenant);
        }
        if (filter.state() != null) {
            where.append(" and j.state = :state");
            params.put("state", filter.state().name());
        }
        if (filter.kind() != null) {
            where.append(" and j.kind = :kind");
            params.put("kind", filter.kind().name());
        }
        if (filter.unitId() != null) {
            where.append(" and j.unit_id = :unit");
            params.put("unit", filter.unitId());
        }
        if (!query.text().isEmpty()) {
            where.append(" and (j.unit_label like :domain escape '\\'");
            params.put("domain", query.domainPattern());
            if (query.ipv4() != null) {
                where.append(" or j.unit_id in (select u.id from unit u where host(u.ipv4) = :ip)");
                params.put("ip", query.ipv4());
            }
            if (!query.tenantIds().isEmpty() && scope.isStaff()) {
                where.append(" or j.tenant_id in (:tenants)");
                params.put("tenants", query.tenantIds());
            }
            where.append(')');
        }
        // Constant fragments only in the SQL text; input travels as parameters.
        List<JobView> views = jdbc.sql("select " + ViewRows.JOB_COLUMNS + " from provisioning_job j where " + where
                        + " order by " + ORDER.get(query.sort()) + " limit :limit offset :offset")
                .params(params).param("limit", query.size()).param("offset", (long) query.page() * query.size())
                .query((row, n) -> shown(ViewRows.job(row), scope)).list();
        long total = jdbc.sql("select count(*) from provisioning_job j where " + where).params(params)
                .query(Long.class).single();
        return new ResultPage<>(views, query.page(), query.size(), total);
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
            throw NotFoundException.of("job-credentials", jobId);
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
            return line.withMessage(HOST_PATH.matcher(line.message()).replaceAll("[path]"));
        }
        String ours = line.message().split(":", 2)[0];
        // A coded line keeps its words for the reader's language, not its detail.
        Phrase words = line.phrase() == null ? null : line.phrase().detail(null);
        return new LogLine(line.id(), line.at(), line.step(), line.level(), ours + STAFF_ONLY, words);
    }

    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w/:])(/[\\w.@%+-]+){2,}/?");
    private static final String STAFF_ONLY = " (the details are in the log staff can read)";

    private JobEntity owned(UUID jobId, TenantScope scope) {
        return jobs.findById(jobId).filter(j -> scope.allows(j.tenantId()))
                .orElseThrow(() -> NotFoundException.of("job", jobId));
    }
}
