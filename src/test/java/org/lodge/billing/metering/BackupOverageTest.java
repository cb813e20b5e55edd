package org.lodge.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backup storage beyond the plan's quota becomes a line for each ended period, from the hourly
 * ledger, once: 11 GiB stored against a 1 GiB quota for the whole of 10 March – 9 April 2024
 * (743 hours in Rome: summer time starts on 31 March), 4 GiB more from 25 March 12:00 UTC.
 */
@PortalOnlyTest
class BackupOverageTest {

    private static final long GIB = 1L << 30;
    private static final ZoneId ROME = ZoneId.of("Europe/Rome");

    @Autowired
    TestData data;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    MeterStore meters;
    @Autowired
    BillingRunner runner;
    @Autowired
    JdbcClient jdbc;

    @Test
    void backupStorageBeyondTheQuotaIsBilledInGibMonthsForTheEndedPeriodOnce() {
        TenantEntity tenant = data.tenant("overage");
        String node = "ovr-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        UUID plan = UUID.randomUUID();
        plans.insert(plan, "q-" + plan.toString().substring(0, 8), "Quota plan", UnitKind.JAIL, GIB, 64, 1, GIB, false);
        plans.price(plan, LocalDate.parse("2020-01-01"), Money.of("10.00"));
        UUID unit = UUID.randomUUID();
        LocalDate start = LocalDate.parse("2024-03-10");
        LocalDate end = LocalDate.parse("2024-04-10");
        Instant from = start.atStartOfDay(ROME).toInstant();
        Instant to = end.atStartOfDay(ROME).toInstant();
        subscriptions.start(tenant.getId(), unit, "ovr.example.com", plan, start, GIB);
        meters.start(unit, tenant.getId(), GIB, 64, 1, from);
        Instant more = Instant.parse("2024-03-25T12:00:00Z");
        backup(tenant.getId(), unit, node, from.minus(Duration.ofDays(1)), 11 * GIB);
        backup(tenant.getId(), unit, node, more, 4 * GIB);

        runner.run(start);
        runner.run(end);                   // closes the ledger up to 10 April, bills March's storage
        runner.run(end);
        meters.end(unit, tenant.getId(), to);

        long hours = Duration.between(from, to).toHours();
        long hoursWithMore = Duration.between(more, to).toHours();
        BigDecimal gibMonths = BigDecimal.valueOf(10 * hours + 4 * hoursWithMore)
                .divide(BigDecimal.valueOf(hours), MathContext.DECIMAL64);
        List<Line> backupLines = jdbc.sql("""
                select l.description, l.net_amount, l.period_start from billing_invoice_line l
                  join billing_subscription s on s.id = l.subscription_id
                 where s.unit_id = :u and l.kind = 'BACKUP'""").param("u", unit)
                .query((rs, n) -> new Line(rs.getString(1), rs.getBigDecimal(2), rs.getObject(3, LocalDate.class)))
                .list();
        assertThat(hours).isEqualTo(743);
        assertThat(backupLines).hasSize(1);
        assertThat(backupLines.get(0).periodStart()).isEqualTo(start);
        assertThat(backupLines.get(0).net()).isEqualByComparingTo(
                gibMonths.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.HALF_UP));
        assertThat(backupLines.get(0).description()).contains("beyond the 1 GiB quota",
                gibMonths.setScale(3, RoundingMode.HALF_UP).toPlainString() + " GiB-month", "ovr.example.com");
        assertThat(jdbc.sql("select count(*) from billing_usage_hour where unit_id = :u").param("u", unit)
                .query(Integer.class).single()).isEqualTo(743);
    }

    record Line(String description, BigDecimal net, LocalDate periodStart) {
    }

    private void backup(UUID tenant, UUID unit, String node, Instant at, long added) {
        jdbc.sql("""
                insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, added_bytes,
                                    outcome)
                values (:id, :t, :u, 'ovr.example.com', :n, '/r', :at, :added, 'OK')""")
                .param("id", UUID.randomUUID()).param("t", tenant).param("u", unit).param("n", node)
                .param("at", java.sql.Timestamp.from(at)).param("added", added).update();
    }
}
