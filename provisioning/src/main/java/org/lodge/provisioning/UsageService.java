package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lodge.provisioning.usage.NodeUsage;
import org.lodge.provisioning.usage.UnitAlerts;
import org.lodge.provisioning.usage.UsageQueries;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A unit's usage charts and alerts, for its tenant's customers and for staff; another tenant's
 * unit is not found.
 */
@Service
public class UsageService {

    private final JdbcClient jdbc;
    private final UsageQueries queries;
    private final UnitAlerts alerts;
    private final NodeUsage nodes;

    public UsageService(JdbcClient jdbc, UsageQueries queries, UnitAlerts alerts, NodeUsage nodes) {
        this.jdbc = jdbc;
        this.nodes = nodes;
        this.queries = queries;
        this.alerts = alerts;
    }

    public UsageSeries usage(UUID unitId, String range, TenantScope scope) {
        UsageRange parsed = UsageRange.parse(range);
        return queries.series(unitId, owner(unitId, scope), parsed, Instant.now());
    }

    /** Disk nearly full, or down while it should run (see {@link UnitAlerts}). */
    public List<UnitAlert> alerts(UUID unitId, TenantScope scope) {
        owner(unitId, scope);
        return alerts.of(unitId);
    }

    /** The alerts of every unit the caller sees, by unit (units without alerts left out). */
    public Map<UUID, List<UnitAlert>> alerts(TenantScope scope) {
        return alerts.ofTenant(scope.tenantId().orElse(null));
    }

    /** The alerts of one page of units, by unit; units the caller does not see are left out. */
    public Map<UUID, List<UnitAlert>> alerts(TenantScope scope, java.util.Collection<UnitView> page) {
        return alerts.ofUnits(page.stream().filter(unit -> scope.allows(unit.tenantId())).map(UnitView::id).toList());
    }

    /** A node's totals and top consumers over the last hour (staff). */
    @StaffOnly
    public NodeUsageView nodeUsage(String node) {
        return nodes.lastHour(node, Instant.now());
    }

    private UUID owner(UUID unitId, TenantScope scope) {
        return jdbc.sql("select tenant_id from unit where id = :id").param("id", unitId).query(UUID.class)
                .optional().filter(scope::allows).orElseThrow(() -> NotFoundException.of("unit", unitId));
    }
}
