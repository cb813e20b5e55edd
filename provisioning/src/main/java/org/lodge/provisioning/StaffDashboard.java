package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What staff look at first: the alerts open now (units and nodes, as the last alert pass found
 * them: at most a minute old), units by state, each node's units and free disk against what its
 * units were given, and the jobs that failed in the last 24 hours. A handful of aggregate
 * queries, whatever the number of units.
 */
@Service
public class StaffDashboard {

    private final JdbcClient jdbc;

    public StaffDashboard(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record StateCount(String state, long units) {
    }

    public record NodeLoad(String name, long units, long running, long allocatedBytes, long freeDiskBytes,
                           Instant heartbeatAt) {
        public String allocatedHuman() {
            return DiskSize.ofBytes(Math.max(allocatedBytes, 1)).human();
        }

        public String freeHuman() {
            return DiskSize.ofBytes(Math.max(freeDiskBytes, 1)).human();
        }
    }

    public record FailedJob(UUID id, String kind, String unitLabel, String domainUnicode, Instant finishedAt,
                            String error) {
    }

    /** An open alert episode: of a unit (unitId) or of a node (nodeName); {@code args} null if opened before V39. */
    public record OpenAlert(UUID unitId, String nodeName, String label, String kind, String message, List<String> args,
                            Phrase reason, Instant since) implements AlertDetail {
    }

    public record View(List<OpenAlert> alerts, List<StateCount> states, long totalUnits, List<NodeLoad> nodes,
                       long failedJobs, List<FailedJob> latestFailed) {
    }

    private static final int ALERTS_SHOWN = 50;

    @StaffOnly
    public View view() {
        // One pass over the units serves both the state counts and each node's load.
        List<Tally> tallies = jdbc.sql("""
                select node_name, state, count(*), coalesce(sum(disk_bytes), 0) from unit group by node_name, state""")
                .query((rs, n) -> new Tally(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).list();
        List<StateCount> states = tallies.stream()
                .collect(Collectors.groupingBy(Tally::state, TreeMap::new, Collectors.summingLong(Tally::units)))
                .entrySet().stream().map(e -> new StateCount(e.getKey(), e.getValue())).toList();
        List<NodeLoad> nodes = jdbc.sql("select name, free_disk_bytes, heartbeat_at from node order by name")
                .query((rs, n) -> nodeLoad(rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), tallies)).list();
        long failed = jdbc.sql("select count(*) from provisioning_job where state = 'KO'"
                + " and finished_at > now() - interval '24 hours'").query(Long.class).single();
        List<FailedJob> latest = jdbc.sql("""
                select id, kind, unit_label, finished_at, last_error from provisioning_job
                 where state = 'KO' and finished_at > now() - interval '24 hours'
                 order by finished_at desc limit 10""")
                .query((rs, n) -> new FailedJob(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        unicode(rs.getString(3)), rs.getTimestamp(4).toInstant(), firstLine(rs.getString(5)))).list();
        List<OpenAlert> alerts = jdbc.sql("""
                select unit_id, node_name, label, kind, message, args, reason_code, reason_args::text, opened_at
                  from alert_episode
                 where cleared_at is null order by node_name nulls last, opened_at desc limit :n""")
                .param("n", ALERTS_SHOWN)
                .query((rs, n) -> {
                    List<String> args = rs.getArray(6) == null ? null : List.of((String[]) rs.getArray(6).getArray());
                    return new OpenAlert(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getString(2) == null ? unicode(rs.getString(3)) : rs.getString(3), rs.getString(4),
                            rs.getString(5), args, AlertDetail.storedReason(args, rs.getString(7), rs.getString(8)),
                            rs.getTimestamp(9).toInstant());
                }).list();
        return new View(alerts, states, states.stream().mapToLong(StateCount::units).sum(), nodes, failed, latest);
    }

    private record Tally(String node, String state, long units, long diskBytes) {
    }

    private static NodeLoad nodeLoad(String node, long freeDiskBytes, Instant heartbeat, List<Tally> tallies) {
        List<Tally> mine = tallies.stream().filter(t -> node.equals(t.node())).toList();
        return new NodeLoad(node, mine.stream().mapToLong(Tally::units).sum(),
                mine.stream().filter(t -> "RUNNING".equals(t.state())).mapToLong(Tally::units).sum(),
                mine.stream().mapToLong(Tally::diskBytes).sum(), freeDiskBytes, heartbeat);
    }

    /** A label that is a stored domain, as people read it; anything else as it is. */
    static String unicode(String label) {
        try {
            return DomainName.stored(label).unicode();
        } catch (RuntimeException notADomain) {
            return label;
        }
    }

    private static String firstLine(String error) {
        if (error == null) {
            return "";
        }
        String line = error.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
