package org.lodge.provisioning.alert;

import jakarta.mail.MessagingException;
import java.net.IDN;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.AlertLines;
import org.lodge.provisioning.MailReader;
import org.lodge.provisioning.MailReaders;
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
 * clears, to the staff addresses and, for a unit, its tenant's contact address, each in its
 * reader's language and time zone ({@link MailReaders}: one mail per language and zone; the alert's
 * line said as pages say it, {@link AlertLines}). Without an SMTP server (no {@code spring.mail.host})
 * or anybody to tell, the notice is SKIPPED; a failed send is tried again after
 * {@code lodge.alerts.retry-after}.
 */
@Component
public class AlertMail {

    private static final Logger log = LoggerFactory.getLogger(AlertMail.class);
    private static final int BATCH = 20;
    /** Bounds one pass: a batch per round, each episode at most twice (opened, cleared). */
    private static final int ROUNDS = 10;
    /** Told to staff only: the tenant's contact is not asked to act on these. */
    private static final java.util.Set<String> STAFF_ONLY = java.util.Set.of("BACKUP_FAILED");

    private final UnitAlerts alerts;
    private final NodeAlerts nodeAlerts;
    private final AlertEpisodes episodes;
    private final ObjectProvider<JavaMailSender> sender;
    private final AlertProperties props;
    private final TransactionTemplate tx;
    private final MailReaders readers;
    private final AlertLines lines;

    public AlertMail(UnitAlerts alerts, NodeAlerts nodeAlerts, AlertEpisodes episodes, ObjectProvider<JavaMailSender> sender,
                     AlertProperties props, TransactionTemplate tx, MailReaders readers, AlertLines lines) {
        this.readers = readers;
        this.lines = lines;
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
            Map<MailReader, List<String>> to = recipients(pending);
            if (mail == null || to.isEmpty()) {
                episodes.noticed(pending, "SKIPPED");
                continue;
            }
            try {
                // A failure after some languages went out sends those again at the retry: at least once.
                for (Map.Entry<MailReader, List<String>> group : to.entrySet()) {
                    mail.send(message -> compose(new MimeMessageHelper(message, "UTF-8"), pending, group.getKey(),
                            group.getValue()));
                }
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

    /** The addresses by who reads them (the reader's address dropped, so equal language and zone share a mail). */
    private Map<MailReader, List<String>> recipients(AlertEpisodes.Pending pending) {
        Map<MailReader, List<String>> to = new LinkedHashMap<>();
        for (String staff : props.staffEmails()) {
            add(to, readers.staff(staff));
        }
        String contact = STAFF_ONLY.contains(pending.kind()) ? null : episodes.contactOf(pending.tenantId());
        if (contact != null && to.values().stream().noneMatch(l -> l.contains(contact))) {
            add(to, readers.of(contact, pending.tenantId()));
        }
        return to;
    }

    private static void add(Map<MailReader, List<String>> to, MailReader reader) {
        to.computeIfAbsent(new MailReader(null, reader.locale(), reader.zone()), r -> new ArrayList<>())
                .add(reader.address());
    }

    private void compose(MimeMessageHelper message, AlertEpisodes.Pending pending, MailReader reader, List<String> to)
            throws MessagingException {
        String label = pending.unitId() == null ? readers.text(reader, "mail.alert.node", pending.label())
                : IDN.toUnicode(pending.label(), IDN.ALLOW_UNASSIGNED);
        String named = pending.unitId() == null ? label : readers.text(reader, "mail.alert.unit", label, pending.unitId());
        String what = lines.kind(pending.kind(), reader.locale());
        message.setFrom(props.from());
        message.setTo(to.toArray(String[]::new));
        String state = pending.opening() ? "opened" : "cleared";
        message.setSubject(readers.text(reader, "mail.alert." + state + ".subject", label, what));
        String intro = pending.opening()
                ? readers.text(reader, "mail.alert.opened.body", named, reader.at(pending.openedAt()))
                : readers.text(reader, "mail.alert.cleared.body", named, reader.at(pending.clearedAt()),
                        reader.at(pending.openedAt()));
        message.setText(intro + "\n\n" + lines.line(pending, reader.locale(), reader.zone()) + "\n"
                + (pending.opening() ? "\n" + readers.text(reader, "mail.alert.opened.more") + "\n" : ""));
    }
}
