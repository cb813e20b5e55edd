package org.lodge.provisioning.job;

import java.util.UUID;
import org.lodge.provisioning.JobKind;

/** What an attempt needs of the job it claimed, read by the claim itself (no second read). */
public record ClaimedJob(UUID id, JobKind kind, int attempt, boolean compensateOnly, UUID unitId, String params) {
}
