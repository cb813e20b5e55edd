package org.lodge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A stream of mixed jobs through the API, as staff would queue them: jail and VM creations, disk
 * growth, stops, starts and deletions of the units it made, a few at a time, each on a unit with
 * no job of its own in flight. Every choice comes from one seeded {@link Random}, so a run can be
 * repeated; it stops at {@link #stop()}, after {@code maxJobs} submissions, or at its deadline.
 */
final class MixedBatch implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(MixedBatch.class);
    private static final String NET = "10.231.77.";

    private record Unit(String kind, int diskMib) {
    }

    private final BasicApi api;
    private final JdbcClient jdbc;
    private final Random random;
    private final String tenant;
    private final int maxJobs;
    private final int inFlight;
    private final long deadline;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<UUID, Unit> units = new LinkedHashMap<>();
    /** Job id → its unit, for the jobs not yet seen ended. */
    private final Map<UUID, UUID> pending = new HashMap<>();
    private final Set<UUID> busy = new HashSet<>();
    private final Map<String, Integer> submitted = new TreeMap<>();
    private final List<String> refusals = new ArrayList<>();
    private int jobs;
    private volatile Throwable failure;

    MixedBatch(BasicApi api, JdbcClient jdbc, long seed, String tenant, int maxJobs, int inFlight, Duration limit) {
        this.api = api;
        this.jdbc = jdbc;
        this.random = new Random(seed);
        this.tenant = tenant;
        this.maxJobs = maxJobs;
        this.inFlight = inFlight;
        this.deadline = System.nanoTime() + limit.toNanos();
    }

    void stop() {
        stopped.set(true);
    }

    Map<String, Integer> submitted() {
        return submitted;
    }

    List<String> refusals() {
        return refusals;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (!stopped.get() && jobs < maxJobs && System.nanoTime() < deadline) {
                settle();
                if (pending.size() < inFlight) {
                    submitOne();
                }
                Thread.sleep(200 + random.nextInt(500));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            log.error("the mixed batch stopped", e);
        }
    }

    /** Takes note of the jobs that ended: their units are free again, or gone. */
    private void settle() {
        if (pending.isEmpty()) {
            return;
        }
        List<UUID> ended = jdbc.sql("select id from provisioning_job where id in (:ids) and state in ('OK', 'KO')")
                .param("ids", List.copyOf(pending.keySet())).query(UUID.class).list();
        for (UUID job : ended) {
            UUID unit = pending.remove(job);
            busy.remove(unit);
            refresh(unit);
        }
    }

    private void refresh(UUID unit) {
        var row = jdbc.sql("select kind, disk_bytes from unit where id = :id").param("id", unit)
                .query((rs, n) -> new Unit(rs.getString("kind"), (int) (rs.getLong("disk_bytes") >> 20))).optional();
        if (row.isPresent()) {
            units.put(unit, row.get());
        } else {
            units.remove(unit);
        }
    }

    private void submitOne() {
        List<UUID> idle = units.keySet().stream().filter(u -> !busy.contains(u)).toList();
        long vms = units.values().stream().filter(u -> u.kind().equals("VM")).count();
        int choice = random.nextInt(100);
        if (choice < 35 || idle.isEmpty()) {
            create("JAIL");
        } else if (choice < 45) {
            if (vms < 2) {
                create("VM");
            } else {
                create("JAIL");
            }
        } else {
            UUID unit = idle.get(random.nextInt(idle.size()));
            Unit known = units.get(unit);
            String state = jdbc.sql("select state from unit where id = :id").param("id", unit).query(String.class)
                    .optional().orElse("GONE");
            if (choice < 60 && known.diskMib() < 256) {
                act(unit, "grow", "/api/units/" + unit + "/grow", java.util.Map.of("diskSize", (known.diskMib() + 32) + "M"));
            } else if (choice < 75) {
                String action = state.equals("RUNNING") ? "stop" : "start";
                act(unit, action, "/api/units/" + unit + "/actions/" + action, null);
            } else {
                act(unit, "delete", "/api/units/" + unit + "/actions/delete", null);
            }
        }
    }

    private void create(String kind) {
        String ip = freeAddress();
        String domain = "chaos" + jobs + "-" + Integer.toHexString(random.nextInt(1 << 16)) + ".example.com";
        Map<String, Object> body = new HashMap<>(Map.of("tenant", tenant, "kind", kind, "domain", domain, "ipv4", ip));
        if (kind.equals("VM")) {
            body.putAll(Map.of("diskSize", "256M", "vcpus", "1", "memory", "128", "template", "lodge-test"));
        } else {
            body.put("diskSize", "64M");
        }
        BasicApi.Answer answer = api.post("/api/units", body);
        record(kind.equals("VM") ? "create VM" : "create jail", answer, answer.status() == 202
                ? UUID.fromString(answer.json().path("unitId").asText()) : null);
    }

    private void act(UUID unit, String what, String path, Object body) {
        BasicApi.Answer answer = api.post(path, body);
        record(what + " " + units.get(unit).kind().toLowerCase(), answer, unit);
    }

    private void record(String what, BasicApi.Answer answer, UUID unit) {
        jobs++;
        if (answer.status() != 202) {
            refusals.add(what + ": " + answer.status() + " " + answer.body());
            return;
        }
        submitted.merge(what, 1, Integer::sum);
        String job = answer.json().path("id").asText();
        pending.put(UUID.fromString(job), unit);
        busy.add(unit);
        refresh(unit);
    }

    /** A random address of the test pool that no unit holds (only this thread reserves addresses). */
    private String freeAddress() {
        Set<String> taken = new HashSet<>(jdbc.sql("select host(address) from ip_assignment").query(String.class).list());
        List<String> free = new ArrayList<>();
        for (int i = 20; i < 200; i++) {
            if (!taken.contains(NET + i)) {
                free.add(NET + i);
            }
        }
        return free.get(random.nextInt(free.size()));
    }
}
