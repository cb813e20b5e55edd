package org.lodge.provisioning.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;

/** The truth about one job; the worker moves it through its states (see {@link JobStore}). */
@Entity
@Table(name = "provisioning_job")
public class JobEntity {

    @Id
    private UUID id;
    @Enumerated(EnumType.STRING)
    private JobKind kind;
    @Enumerated(EnumType.STRING)
    private JobState state;
    @Column(name = "node_name")
    private String nodeName;
    @Column(name = "tenant_id")
    private UUID tenantId;
    @Column(name = "unit_id")
    private UUID unitId;
    @Column(name = "unit_label")
    private String unitLabel;
    private String params;
    @Column(name = "idempotency_key")
    private String idempotencyKey;
    private int attempts;
    @Column(name = "max_attempts")
    private int maxAttempts;
    @Column(name = "compensate_only")
    private boolean compensateOnly;
    @Column(name = "current_step")
    private String currentStep;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "created_by")
    private String createdBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;
    // A wrapper, null until persisted: Spring Data then sees a new row (persist, one INSERT), where a
    // primitive made it judge by the id, which is set at construction, and merge (a SELECT first).
    @Version
    private Long version;

    protected JobEntity() {
    }

    public JobEntity(JobKind kind, String nodeName, UUID tenantId, UUID unitId, String unitLabel, String params,
                     String idempotencyKey, int maxAttempts, String createdBy) {
        this.id = UUID.randomUUID();
        this.kind = kind;
        this.state = JobState.ENQUEUED;
        this.nodeName = nodeName;
        this.tenantId = tenantId;
        this.unitId = unitId;
        this.unitLabel = unitLabel;
        this.params = params;
        this.idempotencyKey = idempotencyKey;
        this.maxAttempts = maxAttempts;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
        this.nextAttemptAt = createdAt;
    }

    public JobView view() {
        return new JobView(id, kind, state, tenantId, unitId, unitLabel, nodeName, currentStep, lastError, attempts,
                createdBy, createdAt, startedAt, finishedAt);
    }

    public UUID id() { return id; }
    public JobKind kind() { return kind; }
    public JobState state() { return state; }
    public UUID tenantId() { return tenantId; }
    public UUID unitId() { return unitId; }
    public String createdBy() { return createdBy; }
    public int attempts() { return attempts; }
}
