package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
 * The opt-in jail pool for real: {@code setup-jail-pool.sh} makes a small XFS {@code reflink=1}
 * file, loop-mounts it and binds the jail images' and the backup work area's directories from it
 * (what {@code LODGE_JAIL_POOL=xfs-file} does on a node); a context of its own keeps its jails
 * there. A running jail's backup is then a reflink clone taken under the freeze, and the freeze
 * time in the log is the one on the backup's row.
 */
@LiveNodeTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReflinkPoolTest {

    private static final Pattern FROZEN = Pattern.compile(
            "filesystem frozen for (\\d+) ms \\((reflink clone|sparse copy) of the image\\) while the jail kept running");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void pool(DynamicPropertyRegistry registry) throws Exception {
        XfsTestPool.create("512M", registry);
    }

    @Test
    void backsUpARunningJailWithAReflinkCloneUnderTheFreezeItLogs() throws Exception {
        assertThat(Files.getFileStore(XfsTestPool.JAILS).type()).isEqualTo("xfs");
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "rfx-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String create = api.createJail(api.newTenant("reflink"), "64M", domain, "10.231.77.72");
        String unit = api.awaitOk(create).path("unitId").asText();
        try {
            backUpOnThePool(api, unit, create);
        } finally {
            // Before the pool goes (@AfterAll), even after a failure: its image must not stay mounted.
            assertThat(api.awaitEnd(api.act(unit, "delete"), Duration.ofMinutes(2)).path("state").asText())
                    .isEqualTo("OK");
        }
    }

    private void backUpOnThePool(Api api, String unit, String create) throws Exception {
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", unit)
                .query(String.class).single();
        assertThat(Files.getFileStore(XfsTestPool.JAILS.resolve(JailHost.volumeName(libvirtName))).type()).isEqualTo("xfs");

        ResponseEntity<String> started = api.post("/api/units/" + unit + "/backups", null);
        assertThat(started.getStatusCode().value()).as(started.getBody()).isEqualTo(202);
        String job = api.json(started).path("id").asText();
        JsonNode ended = api.awaitEnd(job, Duration.ofMinutes(3));
        String log = api.log(job);
        assertThat(ended.path("state").asText()).as(log).isEqualTo("OK");
        Matcher frozen = FROZEN.matcher(log);
        assertThat(frozen.find()).as(log).isTrue();
        System.out.println("== on the XFS pool: " + frozen.group());
        log.lines().filter(l -> l.contains("done in")).forEach(l -> System.out.println("   " + l));
        api.log(create).lines().filter(l -> l.contains("done in")).forEach(l -> System.out.println("   create: " + l));
        assertThat(frozen.group(2)).isEqualTo("reflink clone");
        JsonNode backup = api.json(api.get("/api/units/" + unit + "/backups")).get(0);
        assertThat(backup.path("freezeMs").asLong()).isEqualTo(Long.parseLong(frozen.group(1)));
        assertThat(log).contains("the copy is a clean filesystem (e2fsck -fn").contains("backup verified");
    }

    @AfterAll
    static void removePool() throws Exception {
        XfsTestPool.remove();
    }
}
