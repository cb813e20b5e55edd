package org.lodge.provisioning;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The units and jobs lists' rows read straight from SQL into their views (only the columns a view
 * shows), so a page of 50 rows hydrates no entity: that was ~15 % of a list's CPU (JFR).
 */
final class ViewRows {

    static final String UNIT_COLUMNS = "u.id, u.kind, u.tenant_id, u.node_name, u.domain, host(u.ipv4) as ipv4,"
            + " u.disk_bytes, u.disk_used_bytes, u.memory_mib, u.vcpus, u.template, u.template_version, u.mac,"
            + " u.state, u.ftp_user, u.created_at, u.suspended_for";

    static final String JOB_COLUMNS = "j.id, j.kind, j.state, j.tenant_id, j.unit_id, j.unit_label, j.node_name,"
            + " j.current_step, j.last_error, j.attempts, j.created_by, j.created_at, j.started_at, j.finished_at";

    private ViewRows() {
    }

    static UnitView unit(ResultSet row) throws SQLException {
        String domain = row.getString("domain");
        return new UnitView(row.getObject("id", UUID.class), UnitKind.valueOf(row.getString("kind")),
                row.getObject("tenant_id", UUID.class), row.getString("node_name"), domain,
                DomainName.stored(domain).unicode(), row.getString("ipv4"), row.getLong("disk_bytes"),
                row.getObject("disk_used_bytes", Long.class), row.getInt("memory_mib"), row.getInt("vcpus"),
                row.getString("template"), row.getString("template_version"), row.getString("mac"),
                UnitState.valueOf(row.getString("state")), row.getString("ftp_user"), instant(row, "created_at"),
                row.getString("suspended_for"));
    }

    static JobView job(ResultSet row) throws SQLException {
        return new JobView(row.getObject("id", UUID.class), JobKind.valueOf(row.getString("kind")),
                JobState.valueOf(row.getString("state")), row.getObject("tenant_id", UUID.class),
                row.getObject("unit_id", UUID.class), row.getString("unit_label"), row.getString("node_name"),
                row.getString("current_step"), row.getString("last_error"), row.getInt("attempts"),
                row.getString("created_by"), instant(row, "created_at"), instant(row, "started_at"),
                instant(row, "finished_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
