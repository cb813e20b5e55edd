package org.lodge.provisioning.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.UsageRange;
import org.lodge.provisioning.UsageSeries;
import org.lodge.provisioning.console.ConsoleGateway;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.JailConsole;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The collector on a real jail under load: a CPU loop and a file written inside it (through its
 * console) show as CPU time, disk used and disk writes in the samples the collector stores;
 * HTTP requests to it as traffic; after a restart its counters begin again and no rate goes
 * negative or huge. The operators see it too: the job counters move on Prometheus, health
 * reports libvirt and the node's storage.
 */
@LiveNodeTest
class UsageCollectorTest {

    private static final String IP = "10.231.77.141";
    private static final String VM_IP = "10.231.77.143";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UsageCollector collector;
    @Autowired
    UsageQueries queries;
    @Autowired
    ServiceProbe probe;
    @Autowired
    ConsoleGateway gateway;
    @Autowired
    ConsoleTickets tickets;
    @Autowired
    org.lodge.provisioning.NodeProperties node;
    @Autowired
    org.lodge.provisioning.unit.UnitStateSync stateSync;
    @Autowired
    UnitAlerts unitAlerts;
    @Autowired
    org.lodge.provisioning.alert.AlertMail alertMail;

    @Test
    void aLoadedJailShowsRisingCpuDiskAndTrafficAndARestartGivesNoNegativeRate() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "usage-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        double created = createdJails(api);
        UUID jail = UUID.fromString(api.awaitOk(api.createJail(api.newTenant("usage"), "64M", domain, IP))
                .path("unitId").asText());
        try {
            assertThat(createdJails(api)).as("lodge_jobs_ended_total of CREATE_JAIL/OK").isEqualTo(created + 1);
            assertThat(api.get("/actuator/prometheus").getBody())
                    .contains("lodge_jobs_step_seconds_count{kind=\"CREATE_JAIL\",outcome=\"ok\",step=\"start\"}");
            var health = api.json(api.get("/actuator/health")).path("components");
            assertThat(health.path("libvirt").path("status").asText()).isEqualTo("UP");
            assertThat(health.path("nodeStorage").path("details").path("minFreePercent").asInt()).isEqualTo(10);
            assertThat(health.path("db").path("status").asText()).isEqualTo("UP");

            UsageSample before = sampleOf(jail);
            assertThat(before.cpuNanos()).as("CPU time from the jail's cgroup").isPositive();
            assertThat(before.memoryBytes()).as("memory from the jail's cgroup").isPositive();
            assertThat(before.diskUsedBytes()).as("used space of the jail's image").isPositive();
            assertThat(before.diskWriteBytes()).isNotNull();
            assertThat(before.netInBytes()).as("traffic of the jail's host-side interface").isNotNull();

            String token = tickets.issue("admin", jail, Purpose.GATEWAY);
            try (JailConsole console = new JailConsole(gateway.address(), jail + " " + token)) {
                console.type("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo \"cpu-$((40+2))\"");
                console.await("cpu-42");
                console.type("dd if=/dev/zero of=/usage-test.bin bs=1M count=8 2>/dev/null; sync; echo \"disk-$((40+2))\"");
                console.await("disk-42");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(probe.get(IP, domain, "/").body()).contains(domain);
            }
            Thread.sleep(1100); // samples are stamped to the second
            UsageSample loaded = sampleOf(jail);

            assertThat(loaded.cpuNanos() - before.cpuNanos()).as("CPU time of the loop").isGreaterThan(200_000_000L);
            assertThat(loaded.diskUsedBytes() - before.diskUsedBytes()).as("the file's space")
                    .isGreaterThanOrEqualTo(7L << 20);
            assertThat(loaded.diskWriteBytes() - before.diskWriteBytes()).as("the file's writes")
                    .isGreaterThanOrEqualTo(8L << 20);
            assertThat(loaded.netInBytes()).as("requests went in").isGreaterThan(before.netInBytes());
            assertThat(loaded.netOutBytes()).as("answers came out").isGreaterThan(before.netOutBytes() + 5 * 100);
            assertThat(jdbc.sql("select count(*) from usage_sample where unit_id = :u").param("u", jail)
                    .query(Long.class).single()).as("stored").isGreaterThanOrEqualTo(2);

            // Filled to its last block, the disk reads past 90 %: the alert shows and its episode opens
            // once however many passes see it; emptied, the episode clears (the mails: AlertMailTest).
            console(jail, "dd if=/dev/zero of=/fill.bin bs=1M 2>/dev/null; sync; echo \"full-$((40+2))\"", "full-42");
            assertThat(awaitDiskAlert(jail, true)).as("DISK_FULL on a filled jail").isTrue();
            alertMail.pass();
            alertMail.pass();
            assertThat(episodes(jail)).containsExactly("DISK_FULL open");
            console(jail, "rm /fill.bin; sync; echo \"freed-$((40+2))\"", "freed-42");
            assertThat(awaitDiskAlert(jail, false)).as("no DISK_FULL once emptied").isTrue();
            alertMail.pass();
            assertThat(episodes(jail)).containsExactly("DISK_FULL cleared");

            api.awaitOk(api.act(jail.toString(), "restart"));
            Thread.sleep(1100);
            UsageSample restarted = sampleOf(jail);
            assertThat(restarted.cpuNanos()).as("a new run counts from zero").isLessThan(loaded.cpuNanos());

            UsageSeries hour = queries.series(jail, tenantOf(jail), UsageRange.HOUR, Instant.now().plusSeconds(1));
            assertThat(hour.time()).hasSizeGreaterThanOrEqualTo(3);
            List<Double> cpu = hour.cpuPercent().stream().filter(v -> v != null).toList();
            assertThat(cpu).as("rates after the restart").isNotEmpty()
                    .allSatisfy(v -> assertThat(v).isBetween(0.0, 150.0));
            assertThat(hour.diskWriteBytesPerSecond()).allSatisfy(v -> assertThat(v == null || v >= 0).isTrue());
            assertThat(hour.netOutBytesPerSecond()).allSatisfy(v -> assertThat(v == null || v >= 0).isTrue());
        } finally {
            api.awaitOk(api.act(jail.toString(), "delete"));
        }
    }

    @Test
    void aRunningVmsSamplesAreStored() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        // Without KVM (as here) the node takes VMs only once staff allow software emulation on it.
        assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        String domain = "usage-vm-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        var created = api.post("/api/units", Map.of("tenant", api.newTenant("usage"), "kind", "VM", "diskSize", "128M",
                "domain", domain, "ipv4", VM_IP, "vcpus", "1", "memory", "128"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        UUID vm = UUID.fromString(api.json(created).path("unitId").asText());
        var job = api.awaitEnd(api.json(created).path("id").asText(), Duration.ofSeconds(150));
        try {
            assertThat(job.path("state").asText()).isEqualTo("OK");
            UsageSample first = sampleOf(vm);
            for (int i = 0; i < 3; i++) {
                assertThat(probe.get(VM_IP, domain, "/").body()).contains(domain);
            }
            Thread.sleep(1100);
            UsageSample second = sampleOf(vm);
            assertThat(second.cpuNanos()).as("CPU time through libvirt").isGreaterThan(first.cpuNanos());
            assertThat(second.memoryBytes()).as("QEMU's resident memory").isGreaterThan(16L << 20);
            assertThat(second.diskUsedBytes()).as("the overlay's length").isPositive();
            assertThat(second.diskReadBytes()).as("the guest read its disk at boot").isPositive();
            assertThat(second.netInBytes()).as("requests went in").isGreaterThan(first.netInBytes());
            assertThat(second.netOutBytes()).as("answers came out").isGreaterThan(first.netOutBytes());
            assertThat(jdbc.sql("select count(*) from usage_sample where unit_id = :u").param("u", vm)
                    .query(Long.class).single()).as("stored").isGreaterThanOrEqualTo(2);
        } finally {
            api.awaitEnd(api.act(vm.toString(), "delete"), Duration.ofSeconds(120));
        }
    }

    private void console(UUID jail, String command, String done) throws Exception {
        String token = tickets.issue("admin", jail, Purpose.GATEWAY);
        try (JailConsole console = new JailConsole(gateway.address(), jail + " " + token)) {
            console.type(command);
            console.await(done);
        }
    }

    /** Runs the state sync until the jail's disk alert is (or is not) shown; disk use is read in a share of the cycles. */
    private boolean awaitDiskAlert(UUID jail, boolean shown) {
        for (int cycle = 0; cycle < 40; cycle++) {
            stateSync.sync();
            if (unitAlerts.of(jail).stream().anyMatch(a -> a.kind().equals("DISK_FULL")) == shown) {
                return true;
            }
        }
        return false;
    }

    private List<String> episodes(UUID jail) {
        return jdbc.sql("select kind || case when cleared_at is null then ' open' else ' cleared' end from alert_episode"
                + " where unit_id = :u").param("u", jail).query(String.class).list();
    }

    private static double createdJails(Api api) {
        String line = "lodge_jobs_ended_total{kind=\"CREATE_JAIL\",outcome=\"OK\"} ";
        return api.get("/actuator/prometheus").getBody().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).sum();
    }

    private UsageSample sampleOf(UUID unit) {
        return collector.collect().stream().filter(s -> s.unitId().equals(unit)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample of the running jail " + unit));
    }

    private UUID tenantOf(UUID unit) {
        return jdbc.sql("select tenant_id from unit where id = :u").param("u", unit).query(UUID.class).single();
    }
}
