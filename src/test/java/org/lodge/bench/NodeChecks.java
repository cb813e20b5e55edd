package org.lodge.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the scale and chaos benchmarks check after their load: every job ended, the doctor's
 * verdict, and that no IPv4 is held twice, in the database or among the node's domains.
 */
final class NodeChecks {

    record Stuck(UUID id, String kind, String state, String step) {
    }

    record DoctorResult(String state, String summary, int orphans, List<String> findings) {
        /** The orphans not already reported by an earlier check (the node's leftovers from before a run). */
        List<String> newOrphans(DoctorResult before) {
            return findings.stream().filter(f -> f.startsWith("orphan: ") && !before.findings().contains(f)).toList();
        }

        @Override
        public String toString() {
            return state + ", " + summary + (findings.isEmpty() ? "" : " " + findings);
        }
    }

    private final JdbcClient jdbc;
    private final String node;

    NodeChecks(JdbcClient jdbc, String node) {
        this.jdbc = jdbc;
        this.node = node;
    }

    /** Waits until no job is queued, running or compensating; returns those still not ended at the limit. */
    List<Stuck> awaitAllEnded(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Stuck> open = open();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            open = open();
        }
        return open;
    }

    List<Stuck> open() {
        return jdbc.sql("select id, kind, state, current_step from provisioning_job where state not in ('OK', 'KO')")
                .query((rs, n) -> new Stuck(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("state"),
                        rs.getString("current_step")))
                .list();
    }

    /** "kind → OK n, KO m" for the jobs created since {@code since}, the doctor's excluded. */
    Map<String, int[]> outcomes(Instant since) {
        Map<String, int[]> byKind = new TreeMap<>();
        jdbc.sql("""
                select kind, state, count(*) as n from provisioning_job
                 where created_at >= :since and kind not like 'DOCTOR%' group by kind, state""")
                .param("since", java.sql.Timestamp.from(since))
                .query((rs, n) -> {
                    int[] counts = byKind.computeIfAbsent(rs.getString("kind"), k -> new int[3]);
                    switch (rs.getString("state")) {
                        case "OK" -> counts[0] += rs.getInt("n");
                        case "KO" -> counts[1] += rs.getInt("n");
                        default -> counts[2] += rs.getInt("n");
                    }
                    return null;
                }).list();
        return byKind;
    }

    /** The errors of the jobs that ended KO since {@code since}, with how many ended so. */
    Map<String, Integer> koReasons(Instant since) {
        Map<String, Integer> reasons = new TreeMap<>();
        jdbc.sql("""
                select kind || ': ' || coalesce(last_error, (select reason from job_transition t where t.job_id = j.id
                        order by t.id desc limit 1)) as why, count(*) as n
                  from provisioning_job j where state = 'KO' and created_at >= :since group by 1""")
                .param("since", java.sql.Timestamp.from(since))
                .query((rs, n) -> reasons.put(rs.getString("why"), rs.getInt("n"))).list();
        return reasons;
    }

    /** How many times the sweeper handed a job of a dead worker back to the queue. */
    int revivals(Instant since) {
        return jdbc.sql("select count(*) from job_transition where reason like 'worker stopped beating%' and at >= :since")
                .param("since", java.sql.Timestamp.from(since)).query(Integer.class).single();
    }

    /** Runs the doctor (check only) on the node's worker through the API and reads its verdict. */
    DoctorResult doctor(BasicApi api, Duration limit) throws InterruptedException {
        String jobId = api.queue("/api/nodes/" + node + "/doctor", null);
        long deadline = System.nanoTime() + limit.toNanos();
        String state = "ENQUEUED";
        while (!state.equals("OK") && !state.equals("KO") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            state = api.get("/api/jobs/" + jobId).json().path("state").asText();
        }
        List<String> findings = new ArrayList<>();
        String summary = "none";
        for (var line : api.get("/api/jobs/" + jobId + "/log").json()) {
            String message = line.path("message").asText();
            if (message.startsWith("orphan: ") || message.startsWith("difference: ")) {
                findings.add(message);
            } else if (message.startsWith("summary: ")) {
                summary = message.substring("summary: ".length());
            }
        }
        int orphans = (int) findings.stream().filter(f -> f.startsWith("orphan: ")).count();
        return new DoctorResult(state, summary, orphans, findings);
    }

    /**
     * Every IPv4 held twice: by two units in the database, or by two of the node's Lodge domains that
     * are running (a jail's address from its domain XML, a VM's from its unit, found by the domain's UUID).
     */
    List<String> duplicateAddresses() throws LibvirtException {
        List<String> duplicates = new ArrayList<>(jdbc.sql("""
                select host(ipv4) || ' is the address of ' || count(*) || ' units' from unit
                 where node_name = :node group by ipv4 having count(*) > 1""")
                .param("node", node).query(String.class).list());
        duplicates.addAll(jdbc.sql("""
                select 'assignment ' || host(a.address) || ' names unit ' || u.libvirt_name || ' of ' || host(u.ipv4)
                  from ip_assignment a join unit u on u.id = a.unit_id where a.address <> u.ipv4""")
                .query(String.class).list());
        Map<String, List<String>> holders = new HashMap<>();
        collect("lxc:///system", holders);
        collect("qemu:///system", holders);
        holders.forEach((ip, names) -> {
            if (names.size() > 1) {
                duplicates.add(ip + " is held by running domains " + names);
            }
        });
        return duplicates;
    }

    private void collect(String uri, Map<String, List<String>> holders) throws LibvirtException {
        Connect conn = new Connect(uri, true);
        try {
            for (int id : conn.listDomains()) {
                Domain domain;
                String xml;
                try {
                    domain = conn.domainLookupByID(id);
                    xml = domain.getXMLDesc(0);
                } catch (LibvirtException goneMeanwhile) {
                    continue;
                }
                if (!domain.getName().matches("lodge-[0-9a-f]{8}")) {
                    continue;
                }
                String ip = XmlQuery.of(xml).text("/domain/devices/interface/ip/@address");
                if (ip == null || ip.isBlank()) {
                    ip = jdbc.sql("select host(ipv4) from unit where id = :id")
                            .param("id", UUID.fromString(domain.getUUIDString())).query(String.class).optional()
                            .orElse("(no unit: " + domain.getName() + ")");
                }
                holders.computeIfAbsent(ip, k -> new ArrayList<>()).add(domain.getName());
            }
        } finally {
            conn.close();
        }
    }
}
