package org.lodge.billing.metering;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Backup storage beyond the plan's quota, from the hourly ledger, billed in arrears for each
 * period billed in advance once it has ended: the bytes over quota summed over the period's
 * hours, divided by the period's hours and by a GiB, are the GiB-months billed.
 */
@Component
public class BackupOverage {

    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);
    // Ended periods looked at by a run: a run that comes late still finds them.
    private static final int LOOK_BACK_DAYS = 62;

    /** One ended period of a subscription whose backups exceeded its plan's quota. */
    public record Overage(UUID subscriptionId, String unitLabel, UUID planId, LocalDate start, LocalDate end,
                          long quotaBytes, BigDecimal gibMonths, Money net) {
    }

    private final JdbcClient jdbc;
    private final MeteringProperties props;

    BackupOverage(JdbcClient jdbc, MeteringProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    /** The tenant's ended, billed periods without a backup line yet, and what they exceeded. */
    public List<Overage> unbilled(UUID tenantId, LocalDate today, ZoneId zone) {
        return jdbc.sql("""
                select l.subscription_id, s.unit_label, l.plan_id, l.period_start, l.period_end, p.backup_quota_bytes,
                       extract(epoch from (l.period_end::timestamp at time zone :zone)
                                     - (l.period_start::timestamp at time zone :zone)) / 3600 as hours,
                       (select coalesce(sum(greatest(h.backup_bytes - p.backup_quota_bytes, 0)), 0)
                          from billing_usage_hour h
                         where h.unit_id = s.unit_id
                           and h.hour >= l.period_start::timestamp at time zone :zone
                           and h.hour < l.period_end::timestamp at time zone :zone) as over_byte_hours
                  from billing_invoice_line l
                  join billing_subscription s on s.id = l.subscription_id
                  join billing_plan p on p.id = coalesce(l.plan_id, s.plan_id)
                 where s.tenant_id = :tenant and l.kind = 'PERIOD'
                   and l.period_end <= :today and l.period_end > :since
                   and not exists (select 1 from billing_invoice_line b where b.subscription_id = l.subscription_id
                                      and b.kind = 'BACKUP' and b.period_start = l.period_start)
                 order by l.period_start, s.unit_label""")
                .param("tenant", tenantId).param("today", today).param("since", today.minusDays(LOOK_BACK_DAYS))
                .param("zone", zone.getId())
                .query((rs, n) -> {
                    BigDecimal overByteHours = rs.getBigDecimal("over_byte_hours");
                    BigDecimal gibMonths = overByteHours.divide(GIB.multiply(rs.getBigDecimal("hours")),
                            MathContext.DECIMAL64);
                    return new Overage(rs.getObject("subscription_id", UUID.class), rs.getString("unit_label"),
                            rs.getObject("plan_id", UUID.class), rs.getObject("period_start", LocalDate.class),
                            rs.getObject("period_end", LocalDate.class), rs.getLong("backup_quota_bytes"),
                            gibMonths.setScale(3, RoundingMode.HALF_UP),
                            new Money(gibMonths.multiply(props.backupGibMonthPrice())));
                })
                .list().stream().filter(o -> o.net().amount().signum() > 0).toList();
    }

    public BigDecimal price() {
        return props.backupGibMonthPrice();
    }
}
