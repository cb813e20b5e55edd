package org.lodge.provisioning.job;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.Phrase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the steps' job log lines on a thread of its own, in the order they were logged, all
 * lines waiting at once in one round trip: a step goes on while its line travels (a creation
 * logs about thirty). The engine {@link #flush flushes} before every change of a job's state and
 * at the end of each attempt, so a job's lines are all in the table before it ends; the live log
 * sees each line within about a millisecond. A crash of the worker can lose the
 * lines of the last moment, as a crash of the database can (their commits are relaxed).
 */
@Component
public class JobLogWriter {

    private static final Logger log = LoggerFactory.getLogger(JobLogWriter.class);

    record Line(UUID jobId, String step, String level, String message, String code, String args, String detail) {

        static Line of(UUID jobId, String step, String level, Phrase phrase) {
            return new Line(jobId, step, level, phrase.english(), phrase.code(), phrase.argsJson(), phrase.detail());
        }

        static Line of(UUID jobId, String step, String level, String message) {
            return new Line(jobId, step, level, message, null, null, null);
        }

        /** For {@link JobStore#LOG_PHRASE}; {@code relaxed}: its commit need not wait for the WAL's flush. */
        MapSqlParameterSource params(boolean relaxed) {
            return new MapSqlParameterSource().addValue("id", jobId).addValue("logStep", step)
                    .addValue("level", level).addValue("message", message).addValue("code", code)
                    .addValue("args", args).addValue("detail", detail).addValue("relaxed", relaxed);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    /** A database that does not answer holds lines back for about this long, then they are given up. */
    private final RetryTemplate retry = RetryTemplate.builder().maxAttempts(8)
            .exponentialBackoff(Duration.ofMillis(50), 2, Duration.ofSeconds(2))
            .retryOn(List.of(TransientDataAccessException.class, DataAccessResourceFailureException.class)).build();
    private final Object lock = new Object();
    private final List<Line> waiting = new ArrayList<>();
    private long appended;
    private long done;
    private boolean stopping;
    private final Thread thread = new Thread(this::writeUntilStopped, "job-log-writer");

    public JobLogWriter(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        thread.setDaemon(true);
        thread.start();
    }

    void append(Line line) {
        synchronized (lock) {
            waiting.add(line);
            appended++;
            lock.notifyAll();
        }
    }

    /** Waits until every line appended so far is written (or given up on). */
    void flush() {
        synchronized (lock) {
            long target = appended;
            while (done < target) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void writeUntilStopped() {
        while (true) {
            List<Line> batch;
            synchronized (lock) {
                while (waiting.isEmpty() && !stopping) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                batch = List.copyOf(waiting);
                waiting.clear();
            }
            write(batch);
            synchronized (lock) {
                done += batch.size();
                lock.notifyAll();
            }
        }
    }

    private void write(List<Line> batch) {
        MapSqlParameterSource[] rows = batch.stream().map(line -> line.params(true)).toArray(MapSqlParameterSource[]::new);
        try {
            retry.execute(attempt -> jdbc.batchUpdate(JobStore.LOG_PHRASE, rows));
        } catch (RuntimeException e) {
            // The job's own next state change meets the same database and fails the job visibly.
            log.error("{} job log lines could not be written", batch.size(), e);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
