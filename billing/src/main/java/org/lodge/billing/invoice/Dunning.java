package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.DunningProperties;
import org.lodge.billing.mail.MailKind;
import org.lodge.billing.mail.MailOutbox;
import org.lodge.provisioning.NonPaymentSuspensionLifted;
import org.lodge.provisioning.NonPaymentSuspensionRequested;
import org.lodge.provisioning.NonPaymentTerminationRequested;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Dunning per subscription, never per tenant: reminders by e-mail {@code first-reminder-days}
 * and {@code second-reminder-days} after the due date; a subscription billed on an issued
 * invoice still unpaid {@code suspend-after-days} after its due date is suspended (only its own
 * unit: the tenant's other units run on), lifted once no overdue invoice bills it any more, and
 * terminated (the unit deleted) {@code terminate-after-days} after the due date. Each transition,
 * its event to provisioning, its audit row and its e-mail are written in one transaction; the
 * event registry and the mail outbox deliver them even across a crash.
 */
@Component
public class Dunning {

    private static final Logger log = LoggerFactory.getLogger(Dunning.class);

    /** Issued, positive, not fully paid, and due more than :days days before :today. */
    private static final String OVERDUE = """
            select i.id from billing_invoice i
             where i.state = 'ISSUED' and i.gross_total > 0 and i.due_date + cast(:days as integer) < :today
               and coalesce((select sum(p.amount) from billing_payment p where p.invoice_id = i.id), 0) < i.gross_total
            """;

    /** What the run did. */
    public record Outcome(int suspended, int lifted, int terminated, int reminders) {
    }

    private record Overdue(UUID subscriptionId, UUID unitId, UUID invoiceId, String number) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final BillingProperties props;
    private final DunningProperties steps;
    private final MailOutbox mail;
    private final Allocation allocation;

    Dunning(JdbcClient jdbc, ApplicationEventPublisher events, BillingProperties props, DunningProperties steps,
            MailOutbox mail, Allocation allocation) {
        this.allocation = allocation;
        this.jdbc = jdbc;
        this.events = events;
        this.props = props;
        this.steps = steps;
        this.mail = mail;
    }

    /** Credit first (so the invoices just issued consume it), then reminders, suspensions, lifts, terminations. */
    @Transactional
    public Outcome run(LocalDate today) {
        allocation.allocateAll();
        int reminders = mail.reminders(today, steps.firstReminderDays(), steps.secondReminderDays(),
                props.suspendAfterDays());
        List<Overdue> overdue = overdue(props.suspendAfterDays(), today,
                "not exists (select 1 from billing_dunning d where d.subscription_id = s.id)");
        int suspended = 0;
        for (Overdue o : overdue) {
            int inserted = jdbc.sql("insert into billing_dunning (subscription_id, invoice_id, suspended_on)"
                            + " values (:s, :i, :today) on conflict do nothing")
                    .param("s", o.subscriptionId()).param("i", o.invoiceId()).param("today", today).update();
            if (inserted == 1) {
                suspended++;
                log.warn("invoice {} overdue: unit {} is suspended", o.number(), o.unitId());
                events.publishEvent(new NonPaymentSuspensionRequested(o.unitId(), o.number()));
                mail.notice(MailKind.SUSPENDED, o.subscriptionId(), o.invoiceId());
                audit("DUNNING_SUSPENDED", o, today);
            }
        }
        int lifted = lift(today);
        return new Outcome(suspended, lifted, terminate(today), reminders);
    }

    /** Lifts the suspensions of subscriptions that no overdue invoice bills any more (not the terminated ones). */
    @Transactional
    public int lift(LocalDate today) {
        List<Overdue> paid = jdbc.sql("""
                select d.subscription_id, s.unit_id, d.invoice_id, i.number from billing_dunning d
                  join billing_subscription s on s.id = d.subscription_id
                  join billing_invoice i on i.id = d.invoice_id
                 where d.terminated_on is null
                   and not exists (select 1 from billing_invoice_line l where l.subscription_id = d.subscription_id
                                      and l.invoice_id in (""" + OVERDUE + """
                ))""")
                .param("days", props.suspendAfterDays()).param("today", today)
                .query((rs, n) -> new Overdue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4)))
                .list();
        int lifted = 0;
        for (Overdue s : paid) {
            if (jdbc.sql("delete from billing_dunning where subscription_id = :s and terminated_on is null")
                    .param("s", s.subscriptionId()).update() == 1) {
                lifted++;
                log.info("unit {} paid up: suspension lifted", s.unitId());
                events.publishEvent(new NonPaymentSuspensionLifted(s.unitId()));
                mail.notice(MailKind.UNSUSPENDED, s.subscriptionId(), s.invoiceId());
                audit("DUNNING_LIFTED", s, today);
            }
        }
        return lifted;
    }

    /** Suspended subscriptions still billed on an invoice unpaid {@code terminate-after-days} after its due date. */
    private int terminate(LocalDate today) {
        List<Overdue> late = overdue(steps.terminateAfterDays(), today,
                "exists (select 1 from billing_dunning d where d.subscription_id = s.id and d.terminated_on is null)");
        int terminated = 0;
        for (Overdue o : late) {
            if (jdbc.sql("update billing_dunning set terminated_on = :today where subscription_id = :s"
                            + " and terminated_on is null")
                    .param("today", today).param("s", o.subscriptionId()).update() == 1) {
                terminated++;
                log.warn("invoice {} unpaid {} days after its due date: unit {} is terminated", o.number(),
                        steps.terminateAfterDays(), o.unitId());
                events.publishEvent(new NonPaymentTerminationRequested(o.unitId(), o.number()));
                mail.notice(MailKind.TERMINATED, o.subscriptionId(), o.invoiceId());
                audit("DUNNING_TERMINATED", o, today);
            }
        }
        return terminated;
    }

    /** Open subscriptions billed on an invoice overdue by more than {@code days}, its oldest such invoice each. */
    private List<Overdue> overdue(int days, LocalDate today, String condition) {
        return jdbc.sql("""
                select distinct on (s.id) s.id as subscription_id, s.unit_id, i.id as invoice_id, i.number
                  from billing_invoice i
                  join billing_invoice_line l on l.invoice_id = i.id
                  join billing_subscription s on s.id = l.subscription_id
                 where i.id in (""" + OVERDUE + ") and s.ended_on is null and " + condition
                + " order by s.id, i.due_date")
                .param("days", days).param("today", today)
                .query((rs, n) -> new Overdue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4)))
                .list();
    }

    /** The portal's audit trail (audit_event) gets every dunning transition, by the principal "billing". */
    private void audit(String kind, Overdue o, LocalDate today) {
        jdbc.sql("insert into audit_event (principal, kind, detail) values ('billing', :kind, :detail)")
                .param("kind", kind)
                .param("detail", "unit " + o.unitId() + ", subscription " + o.subscriptionId() + ", invoice "
                        + o.number() + ", on " + today)
                .update();
    }
}
