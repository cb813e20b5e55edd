package org.lodge.provisioning.alert;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.lodge.provisioning.AlertDetail;
import org.lodge.provisioning.Phrase;
import org.lodge.provisioning.UnitAlert;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The alert episodes of every unit and node: {@link #track} opens one for each alert that shows
 * now and has none open, and clears each open one whose alert no longer shows (a deleted unit's
 * or node's quietly: there is nobody to tell). Opening and clearing leave their notice PENDING
 * for {@link AlertMail}.
 */
@Component
public class AlertEpisodes {

    /** An episode whose opening or clearing is still to be told; {@code args} null for one opened before V39. */
    record Pending(UUID id, UUID unitId, UUID tenantId, String label, String kind, String message, List<String> args,
                   Phrase reason, Instant openedAt, Instant clearedAt, boolean opening, int attempts) implements AlertDetail {
    }

    private record Open(UUID id, String subject, String kind) {
    }

    private final JdbcClient jdbc;

    public AlertEpisodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The alerts showing now, by unit and by node name: every unit or node with none is absent. */
    @Transactional
    public void track(Map<UUID, List<UnitAlert>> units, Map<String, List<UnitAlert>> nodes, Instant at) {
        Set<String> showing = new java.util.HashSet<>();
        units.forEach((id, alerts) -> alerts.forEach(a -> showing.add("unit:" + id + "/" + a.kind())));
        nodes.forEach((name, alerts) -> alerts.forEach(a -> showing.add("node:" + name + "/" + a.kind())));
        List<UUID> cleared = jdbc.sql("select id, subject, kind from alert_episode where cleared_at is null")
                .query((rs, n) -> new Open(rs.getObject("id", UUID.class), rs.getString("subject"), rs.getString("kind")))
                .list().stream().filter(e -> !showing.contains(e.subject() + "/" + e.kind())).map(Open::id).toList();
        if (!cleared.isEmpty()) {
            jdbc.sql("""
                    update alert_episode e set cleared_at = :at,
                           cleared_notice = case when exists (select 1 from unit u where u.id = e.unit_id)
                                                   or exists (select 1 from node n where n.name = e.node_name)
                                                 then 'PENDING' else 'SKIPPED' end
                     where id in (:ids)""")
                    .param("at", Timestamp.from(at)).param("ids", cleared).update();
        }
        units.forEach((unitId, alerts) -> alerts.forEach(alert -> jdbc.sql("""
                insert into alert_episode (id, subject, unit_id, tenant_id, label, kind, message, args, reason_code,
                                           reason_args, opened_at)
                select :id, 'unit:' || u.id, u.id, u.tenant_id, u.domain, :kind, :message, :args, :code, cast(:reasonArgs as jsonb),
                       :at from unit u where u.id = :unit
                on conflict (subject, kind) where cleared_at is null do nothing""")
                .param("id", UUID.randomUUID()).param("unit", unitId).param("kind", alert.kind())
                .param("message", alert.message()).param("args", args(alert))
                .param("code", alert.reason() == null ? null : alert.reason().code())
                .param("reasonArgs", alert.reason() == null ? null : alert.reason().argsJson())
                .param("at", Timestamp.from(at)).update()));
        nodes.forEach((name, alerts) -> alerts.forEach(alert -> jdbc.sql("""
                insert into alert_episode (id, subject, node_name, label, kind, message, args, opened_at)
                values (:id, 'node:' || :node, :node, :node, :kind, :message, :args, :at)
                on conflict (subject, kind) where cleared_at is null do nothing""")
                .param("id", UUID.randomUUID()).param("node", name).param("kind", alert.kind())
                .param("message", alert.message()).param("args", args(alert)).param("at", Timestamp.from(at)).update()));
    }

    private static SqlArrayValue args(UnitAlert alert) {
        return new SqlArrayValue("text", alert.args().toArray());
    }

    private static List<String> args(Array stored) throws SQLException {
        return stored == null ? null : List.of((String[]) stored.getArray());
    }

    /** Notices due now, oldest first, at most {@code limit}; locked so that two instances never send one twice. */
    List<Pending> pending(Instant at, int limit) {
        return jdbc.sql("""
                select id, unit_id, tenant_id, label, kind, message, args, reason_code, reason_args::text, opened_at, cleared_at,
                       opened_notice = 'PENDING' as opening, mail_attempts
                  from alert_episode
                 where (opened_notice = 'PENDING' or cleared_notice = 'PENDING')
                   and (next_attempt is null or next_attempt <= :at)
                 order by opened_at limit :limit
                   for update skip locked""")
                .param("at", Timestamp.from(at)).param("limit", limit)
                .query((rs, n) -> new Pending(rs.getObject("id", UUID.class), rs.getObject("unit_id", UUID.class),
                        rs.getObject("tenant_id", UUID.class), rs.getString("label"), rs.getString("kind"),
                        rs.getString("message"), args(rs.getArray("args")),
                        AlertDetail.storedReason(args(rs.getArray("args")), rs.getString("reason_code"), rs.getString("reason_args")),
                        rs.getTimestamp("opened_at").toInstant(),
                        rs.getTimestamp("cleared_at") == null ? null : rs.getTimestamp("cleared_at").toInstant(),
                        rs.getBoolean("opening"), rs.getInt("mail_attempts")))
                .list();
    }

    /** The opening notice first: an episode that opened and cleared before either was sent tells both, in order. */
    void noticed(Pending pending, String outcome) {
        String column = pending.opening() ? "opened_notice" : "cleared_notice";
        jdbc.sql("update alert_episode set " + column + " = :outcome, mail_attempts = 0, next_attempt = null,"
                        + " last_error = null where id = :id")
                .param("outcome", outcome).param("id", pending.id()).update();
    }

    void failed(Pending pending, Instant retryAt, String error) {
        jdbc.sql("update alert_episode set mail_attempts = mail_attempts + 1, next_attempt = :retry, last_error = :error"
                        + " where id = :id")
                .param("retry", Timestamp.from(retryAt)).param("error", error).param("id", pending.id()).update();
    }

    /** The tenant's contact address, if staff gave one (none for a node's episodes). */
    String contactOf(UUID tenantId) {
        if (tenantId == null) {
            return null;
        }
        return jdbc.sql("select contact_email from tenant where id = :id").param("id", tenantId)
                .query(String.class).optional().orElse(null);
    }
}
