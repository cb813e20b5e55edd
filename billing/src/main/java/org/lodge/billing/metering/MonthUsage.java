package org.lodge.billing.metering;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.Money;
import org.lodge.billing.UsageView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Usage of the running calendar month so far, per subscription, from the hourly ledger: one
 * statement for all of a tenant's units (or everyone's). The amount is an estimate at today's
 * prices; invoices bill periods from the billing day, in advance, and backup storage in arrears.
 */
@Component
public class MonthUsage {

    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    private final JdbcClient jdbc;
    private final MeteringProperties props;

    MonthUsage(JdbcClient jdbc, MeteringProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    /** The month holding {@code today}; every tenant's when {@code tenant} is empty. */
    public List<UsageView> of(Optional<UUID> tenant, LocalDate today, ZoneId zone) {
        LocalDate start = today.withDayOfMonth(1);
        LocalDate end = start.plusMonths(1);
        return jdbc.sql("""
                select s.tenant_id, s.unit_id, s.unit_label, s.started_on, s.ended_on, p.code, p.name,
                       p.backup_quota_bytes, price.monthly_price,
                       extract(epoch from (cast(:end as timestamp) at time zone :zone)
                                     - (cast(:start as timestamp) at time zone :zone)) / 3600 as month_hours,
                       coalesce(u.hours, 0) as hours, coalesce(u.suspended_hours, 0) as suspended_hours,
                       coalesce(u.backup_byte_hours, 0) as backup_byte_hours,
                       coalesce(u.over_byte_hours, 0) as over_byte_hours
                  from billing_subscription s
                  join billing_plan p on p.id = s.plan_id
                  left join lateral (select monthly_price from billing_plan_price x
                                      where x.plan_id = p.id and x.effective_from <= :today
                                      order by x.effective_from desc limit 1) price on true
                  left join lateral (select count(*) as hours, count(*) filter (where h.suspended) as suspended_hours,
                                            sum(h.backup_bytes) as backup_byte_hours,
                                            sum(greatest(h.backup_bytes - p.backup_quota_bytes, 0)) as over_byte_hours
                                       from billing_usage_hour h
                                      where h.unit_id = s.unit_id
                                        and h.hour >= cast(:start as timestamp) at time zone :zone
                                        and h.hour < cast(:end as timestamp) at time zone :zone) u on true
                 where (cast(:tenant as uuid) is null or s.tenant_id = cast(:tenant as uuid))
                   and s.started_on < :end and (s.ended_on is null or s.ended_on > :start)
                 order by s.unit_label, s.started_on""")
                .param("start", start).param("end", end).param("today", today).param("zone", zone.getId())
                .param("tenant", tenant.orElse(null))
                .query((rs, n) -> {
                    BigDecimal monthHours = rs.getBigDecimal("month_hours");
                    BigDecimal backup = gibMonths(rs.getBigDecimal("backup_byte_hours"), monthHours);
                    BigDecimal over = gibMonths(rs.getBigDecimal("over_byte_hours"), monthHours);
                    LocalDate from = max(start, rs.getObject("started_on", LocalDate.class));
                    LocalDate ended = rs.getObject("ended_on", LocalDate.class);
                    LocalDate to = ended == null || ended.isAfter(end) ? end : ended;
                    BigDecimal price = rs.getBigDecimal("monthly_price");
                    Money monthly = new Money(price == null ? BigDecimal.ZERO : price);
                    long days = to.toEpochDay() - from.toEpochDay();
                    long monthDays = end.toEpochDay() - start.toEpochDay();
                    // Rounded once: the price for the unit's days of the month, like a partial period.
                    Money plan = monthly.times(days, monthDays);
                    Money storage = new Money(over.multiply(props.backupGibMonthPrice()));
                    return new UsageView(rs.getObject("tenant_id", UUID.class), rs.getObject("unit_id", UUID.class),
                            rs.getString("unit_label"), rs.getString("code"), rs.getString("name"), start, end,
                            rs.getLong("hours"), rs.getLong("suspended_hours"), backup.setScale(3, RoundingMode.HALF_UP),
                            over.setScale(3, RoundingMode.HALF_UP), monthly, plan, storage, plan.plus(storage));
                })
                .list();
    }

    private static BigDecimal gibMonths(BigDecimal byteHours, BigDecimal monthHours) {
        return byteHours.divide(GIB.multiply(monthHours), MathContext.DECIMAL64);
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
