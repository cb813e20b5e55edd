package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.provisioning.NonPaymentSuspensionLifted;
import org.lodge.provisioning.NonPaymentSuspensionRequested;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Dunning per subscription, never per tenant: a subscription billed on an issued invoice still
 * unpaid {@code suspend-after-days} after its due date is suspended (only its own unit: the
 * tenant's other units run on), and lifted once no overdue invoice bills it any more. The
 * suspension row and the event to provisioning are written in one transaction; the event
 * registry delivers it even across a crash.
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

    private record Overdue(UUID subscriptionId, UUID unitId, UUID invoiceId, String number) {
    }

    private record Suspended(UUID subscriptionId, UUID unitId) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final BillingProperties props;

    Dunning(JdbcClient jdbc, ApplicationEventPublisher events, BillingProperties props) {
        this.jdbc = jdbc;
        this.events = events;
        this.props = props;
    }

    /** @return how many subscriptions were suspended and how many lifted */
    @Transactional
    public int[] run(LocalDate today) {
        List<Overdue> overdue = jdbc.sql("""
                select distinct on (s.id) s.id as subscription_id, s.unit_id, i.id as invoice_id, i.number
                  from billing_invoice i
                  join billing_invoice_line l on l.invoice_id = i.id
                  join billing_subscription s on s.id = l.subscription_id
                 where i.id in (""" + OVERDUE + """
                ) and s.ended_on is null
                   and not exists (select 1 from billing_dunning d where d.subscription_id = s.id)
                 order by s.id, i.due_date""")
                .param("days", props.suspendAfterDays()).param("today", today)
                .query((rs, n) -> new Overdue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4)))
                .list();
        for (Overdue o : overdue) {
            int inserted = jdbc.sql("insert into billing_dunning (subscription_id, invoice_id, suspended_on)"
                            + " values (:s, :i, :today) on conflict do nothing")
                    .param("s", o.subscriptionId()).param("i", o.invoiceId()).param("today", today).update();
            if (inserted == 1) {
                log.warn("invoice {} overdue: unit {} is suspended", o.number(), o.unitId());
                events.publishEvent(new NonPaymentSuspensionRequested(o.unitId(), o.number()));
            }
        }
        return new int[] {overdue.size(), lift(today)};
    }

    /** Lifts the suspensions of subscriptions that no overdue invoice bills any more. */
    @Transactional
    public int lift(LocalDate today) {
        List<Suspended> paid = jdbc.sql("""
                select d.subscription_id, s.unit_id from billing_dunning d
                  join billing_subscription s on s.id = d.subscription_id
                 where not exists (select 1 from billing_invoice_line l where l.subscription_id = d.subscription_id
                                      and l.invoice_id in (""" + OVERDUE + """
                ))""")
                .param("days", props.suspendAfterDays()).param("today", today)
                .query((rs, n) -> new Suspended(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        for (Suspended s : paid) {
            if (jdbc.sql("delete from billing_dunning where subscription_id = :s").param("s", s.subscriptionId())
                    .update() == 1) {
                log.info("unit {} paid up: suspension lifted", s.unitId());
                events.publishEvent(new NonPaymentSuspensionLifted(s.unitId()));
            }
        }
        return paid.size();
    }
}
