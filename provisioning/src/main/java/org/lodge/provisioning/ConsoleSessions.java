package org.lodge.provisioning;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The consoles open right now, one row per gateway relay, so the per-user cap
 * ({@code lodge.console.max-per-user}) holds across nodes and portal instances.
 */
@Component
public class ConsoleSessions {

    private final JdbcClient jdbc;
    private final ConsoleProperties props;

    public ConsoleSessions(JdbcClient jdbc, ConsoleProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    public int limit() {
        return props.maxPerUser();
    }

    public int openBy(String username) {
        return jdbc.sql("select count(*) from console_session where username = :user").param("user", username)
                .query(Integer.class).single();
    }

    /**
     * Records a console opening unless the user is at the cap; the user's rows are counted under a
     * transaction-scoped advisory lock, so two openings at once cannot both pass the last place.
     */
    @Transactional
    public Optional<UUID> open(String node, String username, UUID unitId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('console:' || :user))").param("user", username).query().singleRow();
        if (openBy(username) >= limit()) {
            return Optional.empty();
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into console_session (id, node_name, username, unit_id) values (:id, :node, :user, :unit)")
                .param("id", id).param("node", node).param("user", username).param("unit", unitId).update();
        return Optional.of(id);
    }

    public void close(UUID sessionId) {
        jdbc.sql("delete from console_session where id = :id").param("id", sessionId).update();
    }

    /** At a gateway's start: the relays its node recorded died with the previous process. */
    public void forgetNode(String node) {
        jdbc.sql("delete from console_session where node_name = :node").param("node", node).update();
    }

    /** Why an opening was refused, in the user's words. */
    public String refusal() {
        return "you already have " + limit() + " consoles open, the most one user may have: close one to open another";
    }
}
