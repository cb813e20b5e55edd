package org.lodge.provisioning.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.function.Supplier;
import org.lodge.provisioning.Phrase;

/** What a step knows about the job it runs in, and its way to write the job log. */
public class JobContext {

    private final ClaimedJob job;
    private final JobLogWriter lines;
    private final JsonNode params;
    private String step = "engine";
    /** What this attempt's steps that only read share (their unit), until a step that may write runs. */
    private volatile Object shared;
    /** Whether the running step only reads ({@link Step#onlyReadsUnit}); never during a compensation. */
    private volatile boolean sharing;

    JobContext(ClaimedJob job, JobLogWriter lines, ObjectMapper json) {
        this.job = job;
        this.lines = lines;
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
        return job.attempt();
    }

    public UUID unitId() {
        return job.unitId();
    }

    public JsonNode params() {
        return params;
    }

    /**
     * While a step that only reads runs ({@link Step#onlyReadsUnit}): the copy an earlier such step
     * of this attempt read, if no other step ran since, else {@code read}'s, kept for the next ones.
     * While any other step runs, with every step it calls: {@code read}'s, never kept.
     */
    public <T> T shared(Class<T> type, Supplier<T> read) {
        if (!sharing) {
            return read.get();
        }
        Object copy = shared;
        if (!type.isInstance(copy)) {
            copy = read.get();
            shared = copy;
        }
        return type.cast(copy);
    }

    /** Before each step: a step that may write ends the copy, for itself and the steps after it. */
    void share(boolean onlyReads) {
        sharing = onlyReads;
        if (!onlyReads) {
            shared = null;
        }
    }

    void enter(String step) {
        this.step = step;
    }

    /** Appends a timestamped line to the job log (written on the log's own thread). Never pass a secret. */
    public void log(String message) {
        lines.append(JobLogWriter.Line.of(job.id(), step, "INFO", message));
    }

    /** Appends a line a person reads in their language (see {@link JobWords}). */
    public void log(Phrase phrase) {
        lines.append(JobLogWriter.Line.of(job.id(), step, "INFO", phrase));
    }

    public void warn(Phrase phrase) {
        lines.append(JobLogWriter.Line.of(job.id(), step, "WARN", phrase));
    }

    void error(Phrase phrase) {
        lines.append(JobLogWriter.Line.of(job.id(), step, "ERROR", phrase));
    }

    public void warn(String message) {
        lines.append(JobLogWriter.Line.of(job.id(), step, "WARN", message));
    }
}
