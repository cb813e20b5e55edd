package org.lodge.provisioning.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;

/** What a step knows about the job it runs in, and its way to write the job log. */
public class JobContext {

    private final JobEntity job;
    private final JobStore store;
    private final JsonNode params;
    private String step = "engine";

    JobContext(JobEntity job, JobStore store, ObjectMapper json) {
        this.job = job;
        this.store = store;
        try {
            this.params = json.readTree(job.params());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id() + " has unreadable parameters", e);
        }
    }

    public UUID jobId() {
        return job.id();
    }

    public org.lodge.provisioning.JobKind kind() {
        return job.kind();
    }

    int attempt() {
        return job.attempts();
    }

    public UUID unitId() {
        return job.unitId();
    }

    public JsonNode params() {
        return params;
    }

    void enter(String step) {
        this.step = step;
    }

    /** Appends a timestamped line to the job log. Never pass a secret. */
    public void log(String message) {
        store.log(job.id(), step, "INFO", message);
    }

    public void warn(String message) {
        store.log(job.id(), step, "WARN", message);
    }

    void error(String message) {
        store.log(job.id(), step, "ERROR", message);
    }
}
