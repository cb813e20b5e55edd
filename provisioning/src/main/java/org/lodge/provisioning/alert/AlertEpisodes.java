package org.lodge.provisioning.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lodge.provisioning.UnitAlert;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The alert episodes of every unit: {@link #track} opens one for each alert that shows now and
 * has none open, and clears each open one whose alert no longer shows (a deleted unit's quietly:
 * there is nobody to tell). Opening and clearing leave their notice PENDING for {@link AlertMail}.
 */
@Component
public class AlertEpisodes {

    /** An episode whose opening or clearing is still to be told. */
    record Pending(UUID id, UUID unitId, UUID tenantId, String domain, String kind, String message, Instant openedAt,
                   Instant clearedAt, boolean opening, int attempts) {
    }

    private record Open(UUID id, UUID unitId, String kind) {
    }

    private final JdbcClient jdbc;

    public AlertEpisodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code now} holds the alerts showing now, by unit: every unit with none is absent. */
    @Transactional
    public void track(Map<UUID, List<UnitAlert>> now, Instant at) {
        List<Open> open = jdbc.sql("select id, unit_id, kind from alert_episode where cleared_at is null")
                .query((rs, n) -> new Open(rs.getObject("id", UUID.class), rs.getObject("unit_id", UUID.class),
                        rs.getString("kind")))
                .list();
        Set<String> showing = now.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(a -> e.getKey() + "/" + a.kind()))
                .collect(Collectors.toSet());
        List<UUID> cleared = new ArrayList<>();
        for (Open episode : open) {
            if (!showing.contains(episode.unitId() + "/" + episode.kind())) {
                cleared.add(episode.id());
            }
        }
        if (!cleared.isEmpty()) {
            jdbc.sql("""
                    update alert_episode e set cleared_at = :at,
                           cleared_notice = case when exists (select 1 from unit u where u.id = e.unit_id)
                                                 then 'PENDING' else 'SKIPPED' end
                     where id in (:ids)""")
                    .param("at", java.sql.Timestamp.from(at)).param("ids", cleared).update();
        }
        now.forEach((unitId, alerts) -> alerts.forEach(alert -> jdbc.sql("""
                insert into alert_episode (id, unit_id, tenant_id, domain, kind, message, opened_at)
                select :id, u.id, u.tenant_id, u.domain, :kind, :message, :at from unit u where u.id = :unit
                on conflict (unit_id, kind) where cleared_at is null do nothing""")
                .param("id", UUID.randomUUID()).param("unit", unitId).param("kind", alert.kind())
                .param("message", alert.message()).param("at", java.sql.Timestamp.from(at)).update()));
    }

    /** Notices due now, oldest first, at most {@code limit}; locked so that two instances never send one twice. */
    List<Pending> pending(Instant at, int limit) {
        return jdbc.sql("""
                select id, unit_id, tenant_id, domain, kind, message, opened_at, cleared_at,
                       opened_notice = 'PENDING' as opening, mail_attempts
                  from alert_episode
                 where (opened_notice = 'PENDING' or cleared_notice = 'PENDING')
                   and (next_attempt is null or next_attempt <= :at)
                 order by opened_at limit :limit
                   for update skip locked""")
                .param("at", java.sql.Timestamp.from(at)).param("limit", limit)
                .query((rs, n) -> new Pending(rs.getObject("id", UUID.class), rs.getObject("unit_id", UUID.class),
                        rs.getObject("tenant_id", UUID.class), rs.getString("domain"), rs.getString("kind"),
                        rs.getString("message"), rs.getTimestamp("opened_at").toInstant(),
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
                .param("retry", java.sql.Timestamp.from(retryAt)).param("error", error).param("id", pending.id()).update();
    }

    /** The tenant's contact address, if staff gave one. */
    String contactOf(UUID tenantId) {
        return jdbc.sql("select contact_email from tenant where id = :id").param("id", tenantId)
                .query(String.class).optional().orElse(null);
    }
}
