package org.lodge.provisioning.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Listens on PostgreSQL's {@code LISTEN/NOTIFY} so a new job is claimed within milliseconds of
 * its commit; the scheduled poll stays as the fallback if the listening connection drops.
 */
@Component
@WorkerRole
public class JobWakeup {

    static final String CHANNEL = "lodge_jobs";
    private static final Logger log = LoggerFactory.getLogger(JobWakeup.class);

    private final DataSource dataSource;
    private final JobRunner runner;
    private final String node;
    private volatile boolean running = true;

    public JobWakeup(DataSource dataSource, JobRunner runner, NodeProperties node) {
        this.dataSource = dataSource;
        this.runner = runner;
        this.node = node.name();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Thread listener = new Thread(this::listen, "job-wakeup");
        listener.setDaemon(true);
        listener.start();
    }

    @EventListener(ContextClosedEvent.class)
    public void stop() {
        running = false;
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && isForThisNode(notifications)) {
                        runner.poll();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("job wake-up listener lost its connection, polling meanwhile: {}", e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    private boolean isForThisNode(PGNotification[] notifications) {
        for (PGNotification notification : notifications) {
            if (node.equals(notification.getParameter())) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
