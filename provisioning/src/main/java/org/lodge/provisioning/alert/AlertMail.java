package org.lodge.provisioning.alert;

import jakarta.mail.MessagingException;
import java.net.IDN;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.node.NodeAlerts;
import org.lodge.provisioning.usage.UnitAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Judges every unit's and every node's alerts (one query each), keeps their episodes
 * ({@link AlertEpisodes}) and e-mails each episode twice at most: when it opens and when it
 * clears, to the staff addresses and, for a unit, its tenant's contact address. Without an SMTP server (no {@code spring.mail.host})
 * or anybody to tell, the notice is SKIPPED; a failed send is tried again after
 * {@code lodge.alerts.retry-after}.
 */
@Component
public class AlertMail {

    private static final Logger log = LoggerFactory.getLogger(AlertMail.class);
    private static final int BATCH = 20;
    /** Bounds one pass: a batch per round, each episode at most twice (opened, cleared). */
    private static final int ROUNDS = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneId.of("UTC"));

    private static final Map<String, String> WHAT = Map.of("DISK_FULL", "disk nearly full",
            "MEMORY_FULL", "memory at its limit", "DOWN", "down but should run", "NODE_SILENT", "worker not reporting",
            "NODE_DISK_LOW", "storage nearly full", "NODE_MEMORY_LOW", "memory low", "BACKUP_FAILED", "backup failed");

    /** Told to staff only: the tenant's contact is not asked to act on these. */
    private static final java.util.Set<String> STAFF_ONLY = java.util.Set.of("BACKUP_FAILED");

    private final UnitAlerts alerts;
    private final NodeAlerts nodeAlerts;
    private final AlertEpisodes episodes;
    private final ObjectProvider<JavaMailSender> sender;
    private final AlertProperties props;
    private final TransactionTemplate tx;

    public AlertMail(UnitAlerts alerts, NodeAlerts nodeAlerts, AlertEpisodes episodes, ObjectProvider<JavaMailSender> sender,
                     AlertProperties props, TransactionTemplate tx) {
        this.alerts = alerts;
        this.nodeAlerts = nodeAlerts;
        this.episodes = episodes;
        this.sender = sender;
        this.props = props;
        this.tx = tx;
    }

    /** One pass: judge, track, tell. Returns how many mails were sent. */
    public int pass() {
        Instant now = Instant.now();
        episodes.track(alerts.ofTenant(null), nodeAlerts.all(now), now);
        int sent = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Integer done = tx.execute(status -> sendBatch(now));
            if (done == null || done < 0) {
                break;
            }
            sent += done;
        }
        return sent;
    }

    /** Sends one locked batch; -1 when nothing was due. */
    private int sendBatch(Instant now) {
        List<AlertEpisodes.Pending> due = episodes.pending(now, BATCH);
        if (due.isEmpty()) {
            return -1;
        }
        JavaMailSender mail = sender.getIfAvailable();
        int sent = 0;
        for (AlertEpisodes.Pending pending : due) {
            List<String> to = recipients(pending);
            if (mail == null || to.isEmpty()) {
                episodes.noticed(pending, "SKIPPED");
                continue;
            }
            try {
                mail.send(message -> compose(new MimeMessageHelper(message, "UTF-8"), pending, to));
                episodes.noticed(pending, "SENT");
                sent++;
            } catch (MailException e) {
                log.warn("alert mail for {} ({}) not sent, tried again in {}: {}", pending.label(), pending.kind(),
                        props.retryAfter(), e.getMessage());
                episodes.failed(pending, now.plus(props.retryAfter()), e.getMessage());
            }
        }
        return sent;
    }

    private List<String> recipients(AlertEpisodes.Pending pending) {
        List<String> to = new ArrayList<>(props.staffEmails());
        String contact = STAFF_ONLY.contains(pending.kind()) ? null : episodes.contactOf(pending.tenantId());
        if (contact != null && !to.contains(contact)) {
            to.add(contact);
        }
        return to;
    }

    private static String unit(AlertEpisodes.Pending pending) {
        return pending.unitId() == null ? "" : " (unit " + pending.unitId() + ")";
    }

    private void compose(MimeMessageHelper message, AlertEpisodes.Pending pending, List<String> to)
            throws MessagingException {
        String label = pending.unitId() == null ? "node " + pending.label()
                : IDN.toUnicode(pending.label(), IDN.ALLOW_UNASSIGNED);
        String what = WHAT.getOrDefault(pending.kind(), pending.kind());
        message.setFrom(props.from());
        message.setTo(to.toArray(String[]::new));
        if (pending.opening()) {
            message.setSubject("Alert on " + label + ": " + what);
            message.setText("""
                    %s%s has an alert since %s:

                    %s

                    You will get one more e-mail when it clears.
                    """.formatted(label, unit(pending), TIME.format(pending.openedAt()), pending.message()));
        } else {
            message.setSubject("Cleared on " + label + ": " + what);
            message.setText("""
                    The alert on %s%s cleared at %s. It had shown since %s:

                    %s
                    """.formatted(label, unit(pending), TIME.format(pending.clearedAt()),
                    TIME.format(pending.openedAt()), pending.message()));
        }
    }
}
