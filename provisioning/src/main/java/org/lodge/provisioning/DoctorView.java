package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** The latest doctor job of a node: what it was, how it ended, and its summary line (null while it runs). */
public record DoctorView(UUID jobId, JobKind kind, JobState state, Instant createdAt, Instant finishedAt,
                         String summary) {
}
