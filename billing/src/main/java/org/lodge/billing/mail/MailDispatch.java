package org.lodge.billing.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.BillingMailProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds, one row at a time: the row is locked ({@code skip locked}, so two
 * instances never take the same one), the mail sent, the row marked sent, then committed. An SMTP
 * failure leaves the row for {@code retry-after}. A process killed between the SMTP answer and
 * the commit sends that one mail again at the next look: at least once, never lost.
 */
@Component
public class MailDispatch {

    private static final Logger log = LoggerFactory.getLogger(MailDispatch.class);

    private final JdbcClient jdbc;
    private final Letters letters;
    private final ObjectProvider<JavaMailSender> sender;
    private final BillingMailProperties props;
    private final TransactionTemplate tx;

    MailDispatch(JdbcClient jdbc, Letters letters, ObjectProvider<JavaMailSender> sender, BillingMailProperties props,
                 TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.letters = letters;
        this.sender = sender;
        this.props = props;
        this.tx = tx;
    }

    /** @return how many mails were sent */
    public int sendPending() {
        JavaMailSender smtp = sender.getIfAvailable();
        if (smtp == null) {
            log.debug("no SMTP server configured (spring.mail.host): billing mail waits in the outbox");
            return 0;
        }
        int sent = 0;
        for (int i = 0; i < props.batch(); i++) {
            Optional<Boolean> outcome = tx.execute(status -> next().map(row -> send(smtp, row)));
            if (outcome == null || outcome.isEmpty()) {
                break;
            }
            sent += outcome.get() ? 1 : 0;
        }
        return sent;
    }

    private Optional<Letters.Row> next() {
        return jdbc.sql("""
                select id, tenant_id, kind, invoice_id, subscription_id from billing_mail
                 where sent_at is null and next_attempt_at <= now()
                 order by next_attempt_at, created_at limit 1 for update skip locked""")
                .query((rs, n) -> new Letters.Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        MailKind.valueOf(rs.getString(3)), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class)))
                .optional();
    }

    private boolean send(JavaMailSender smtp, Letters.Row row) {
        try {
            Letter letter = letters.compose(row);
            MimeMessage message = smtp.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(props.from());
            helper.setTo(letter.to());
            helper.setSubject(letter.subject());
            helper.setText(letter.text(), letter.html());
            if (letter.attachment() != null) {
                helper.addAttachment(letter.attachmentName(), new ByteArrayResource(letter.attachment()),
                        "application/pdf");
            }
            smtp.send(message);
            jdbc.sql("update billing_mail set sent_at = now(), recipient = :to, attempts = attempts + 1,"
                            + " last_error = null where id = :id")
                    .param("to", letter.to()).param("id", row.id()).update();
            log.info("billing mail {} for tenant {} sent to {}", row.kind(), row.tenantId(), letter.to());
            return true;
        } catch (MessagingException | RuntimeException e) {
            // a letter that cannot be composed (a template bug) must not block the rows behind it
            log.warn("billing mail {} ({}) not sent, tried again in {}: {}", row.kind(), row.id(), props.retryAfter(),
                    e.getMessage());
            jdbc.sql("""
                    update billing_mail set attempts = attempts + 1, last_error = :error,
                           next_attempt_at = now() + cast(:retry as interval) where id = :id""")
                    .param("error", String.valueOf(e.getMessage())).param("retry", props.retryAfter().toSeconds() + " seconds")
                    .param("id", row.id()).update();
            return false;
        }
    }
}
