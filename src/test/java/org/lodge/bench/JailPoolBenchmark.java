package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.XfsTestPool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The jail pool's price and gain, on the pool chosen by {@code -Dlodge.bench.jail-pool}: {@code dir}
 * (default: the node's own ext4) or {@code xfs-file} (an 8 GiB sparse XFS {@code reflink=1} file,
 * as {@code LODGE_JAIL_POOL=xfs-file} makes it). Three 64 MiB jails provisioned one after the
 * other, a 2 GiB one, a 256 MiB write with fsync inside that jail's filesystem, then 1 GiB of
 * random data written into it and two backups of the running jail (the first with the page cache
 * dropped): the freeze of each, from the job's log. Writes target/jail-pool-benchmark-POOL.md.
 */
@LiveNodeTest
@Tag("bench")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JailPoolBenchmark {

    private static final String POOL = System.getProperty("lodge.bench.jail-pool", "dir");
    private static final Pattern FROZEN = Pattern.compile("filesystem frozen for \\d+ ms \\([a-z ]+ of the image\\)");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JailHost jails;
    @Autowired
    NodeProperties node;

    private final StringBuilder report = new StringBuilder();

    @DynamicPropertySource
    static void pool(DynamicPropertyRegistry registry) throws Exception {
        if (POOL.equals("xfs-file")) {
            XfsTestPool.create("8G", registry);
        }
    }

    @AfterAll
    static void removePool() throws Exception {
        if (POOL.equals("xfs-file")) {
            XfsTestPool.remove();
        }
    }

    @Test
    void provisioningWritesAndFreezesOnThePool() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = api.newTenant("poolbench");
        line("Jail pool `%s`, store %s", POOL, Files.getFileStore(Path.of(node.storageDir())).type());
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            units.add(create(api, tenant, "64M", "10.231.77." + (73 + i)));
        }
        String big = create(api, tenant, "2G", "10.231.77.76");
        units.add(big);
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", big)
                .query(String.class).single();
        Path root = jails.mountPoint(libvirtName);
        long t0 = System.nanoTime();
        run("dd", "if=/dev/zero", "of=" + root.resolve("zero.bin"), "bs=1M", "count=256", "conv=fsync");
        line("256 MiB written with fsync inside the 2 GiB jail's filesystem: %.2f s (%.0f MiB/s), load %s",
                seconds(t0), 256 / seconds(t0), load());
        Files.delete(root.resolve("zero.bin"));
        t0 = System.nanoTime();
        run("dd", "if=/dev/urandom", "of=" + root.resolve("random.bin"), "bs=1M", "count=1024", "conv=fsync");
        line("1 GiB of random data written into it: %.1f s, load %s", seconds(t0), load());
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        backup(api, big, "1st backup (page cache dropped)");
        backup(api, big, "2nd backup (unchanged)");
        for (String unit : units) {
            api.awaitEnd(api.act(unit, "delete"), Duration.ofMinutes(5));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "jail-pool-benchmark-" + POOL + ".md"), report.toString());
    }

    private String create(Api api, String tenant, String size, String ip) throws InterruptedException, IOException {
        String domain = "pool-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        long t0 = System.nanoTime();
        String job = api.createJail(tenant, size, domain, ip);
        String unit = api.awaitEnd(job, Duration.ofMinutes(5)).path("unitId").asText();
        assertThat(api.log(job)).contains("exit status OK");
        line("%s jail provisioned (create job, request to OK): %.2f s, load %s", size, seconds(t0), load());
        return unit;
    }

    private void backup(Api api, String unit, String what) throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        ResponseEntity<String> started = api.post("/api/units/" + unit + "/backups", null);
        assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(202);
        String job = api.json(started).path("id").asText();
        String state = api.awaitEnd(job, Duration.ofMinutes(20)).path("state").asText();
        String log = api.log(job);
        assertThat(state).as(log).isEqualTo("OK");
        Matcher frozen = FROZEN.matcher(log);
        // Nothing written since the last backup: no freeze at all (docs/backups.md, "Nothing written").
        String capture = frozen.find() ? frozen.group()
                : log.contains("nothing written to the jail's filesystem since") ? "nothing written since: no freeze" : null;
        assertThat(capture).as(log).isNotNull();
        line("%s: %s; job %.1f s, load %s", what, capture, seconds(t0), load());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append("- ").append(text).append('\n');
    }
}
