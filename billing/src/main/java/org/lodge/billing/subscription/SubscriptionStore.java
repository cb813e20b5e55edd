package org.lodge.billing.subscription;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.SubscriptionView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The subscription table (billing's own, written only here and by the events it consumes). */
@Component
public class SubscriptionStore {

    private static final String SELECT = """
            select s.*, p.code as plan_code from billing_subscription s join billing_plan p on p.id = s.plan_id
            """;

    private final JdbcClient jdbc;

    public SubscriptionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts a unit's subscription; nothing if it has one (a redelivered event changes nothing). */
    public boolean start(UUID tenantId, UUID unitId, String label, UUID planId, LocalDate on, long diskBytes) {
        return jdbc.sql("""
                insert into billing_subscription (id, tenant_id, unit_id, unit_label, plan_id, billing_day, started_on, disk_bytes)
                values (:id, :tenant, :unit, :label, :plan, :day, :on, :disk)
                on conflict (unit_id) do nothing""")
                .param("id", UUID.randomUUID()).param("tenant", tenantId).param("unit", unitId).param("label", label)
                .param("plan", planId).param("day", Math.min(on.getDayOfMonth(), 28)).param("on", on)
                .param("disk", diskBytes).update() == 1;
    }

    /** Ends it on the day the unit was deleted (the first end wins). */
    public boolean end(UUID unitId, LocalDate on) {
        return jdbc.sql("update billing_subscription set ended_on = greatest(:on, started_on)"
                        + " where unit_id = :unit and ended_on is null")
                .param("on", on).param("unit", unitId).update() == 1;
    }

    /** Records the unit's disk after a resize; a disk never shrinks, so neither does this. */
    public void resized(UUID unitId, long diskBytes) {
        jdbc.sql("update billing_subscription set disk_bytes = greatest(disk_bytes, :disk) where unit_id = :unit")
                .param("disk", diskBytes).param("unit", unitId).update();
    }

    public Optional<SubscriptionView> byUnit(UUID unitId) {
        return jdbc.sql(SELECT + " where s.unit_id = :unit").param("unit", unitId).query(SubscriptionStore::view)
                .optional();
    }

    public List<SubscriptionView> list(Optional<UUID> tenant) {
        return jdbc.sql(SELECT + " where (cast(:tenant as uuid) is null or s.tenant_id = :tenant)"
                        + " order by s.started_on desc, s.unit_label")
                .param("tenant", tenant.orElse(null)).query(SubscriptionStore::view).list();
    }

    private static SubscriptionView view(ResultSet rs, int row) throws SQLException {
        return new SubscriptionView(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("unit_id", UUID.class), rs.getString("unit_label"), rs.getString("plan_code"),
                rs.getInt("billing_day"), rs.getObject("started_on", LocalDate.class),
                rs.getObject("ended_on", LocalDate.class));
    }
}
