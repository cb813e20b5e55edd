package org.lodge.billing.mail;

import java.time.LocalDate;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes billing e-mails to the outbox ({@code billing_mail}) inside the caller's transaction, so
 * a mail exists exactly when the state it tells about was committed. The unique (kind, subject)
 * makes a repeated run or a redelivered event unable to add a second one. Issued invoices get
 * theirs from a trigger in the issuing transaction (V24).
 */
@Component
public class MailOutbox {

    private final JdbcClient jdbc;

    MailOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A dunning notice about a subscription in the dunning episode of one invoice. */
    public boolean notice(MailKind kind, UUID subscriptionId, UUID invoiceId) {
        return jdbc.sql("""
                insert into billing_mail (id, tenant_id, kind, subject_key, invoice_id, subscription_id)
                select :id, s.tenant_id, :kind, :key, :invoice, s.id from billing_subscription s where s.id = :sub
                on conflict (kind, subject_key) do nothing""")
                .param("id", UUID.randomUUID()).param("kind", kind.name())
                .param("key", subscriptionId + ":" + invoiceId).param("invoice", invoiceId).param("sub", subscriptionId)
                .update() == 1;
    }

    /**
     * Reminders for issued invoices still unpaid: the first from {@code first} days past due, the
     * second from {@code second} days, until suspension (more than {@code suspend} days). A run
     * that comes late sends only the reminder of the stage reached.
     *
     * @return how many reminders were added
     */
    public int reminders(LocalDate today, int first, int second, int suspend) {
        return reminder(MailKind.REMINDER_1, today, first, Math.min(second, suspend + 1))
                + reminder(MailKind.REMINDER_2, today, second, suspend + 1);
    }

    /** Invoices at least {@code from} and fewer than {@code until} days past due. */
    private int reminder(MailKind kind, LocalDate today, int from, int until) {
        return jdbc.sql("""
                insert into billing_mail (id, tenant_id, kind, subject_key, invoice_id)
                select gen_random_uuid(), i.tenant_id, :kind, i.id::text, i.id from billing_invoice i
                 where i.state = 'ISSUED' and i.gross_total > 0
                   and i.due_date + cast(:from as integer) <= :today and i.due_date + cast(:until as integer) > :today
                   and coalesce((select sum(p.amount) from billing_payment p where p.invoice_id = i.id), 0) < i.gross_total
                on conflict (kind, subject_key) do nothing""")
                .param("kind", kind.name()).param("today", today).param("from", from).param("until", until)
                .update();
    }
}
