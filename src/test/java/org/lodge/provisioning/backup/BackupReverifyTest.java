package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The weekly re-verification with a real restic repository: two verified backups restore again;
 * after a pack file of the second is damaged, that one turns KO with restic's reason and the
 * first stays OK. The weekly firing queues one job per node, once; only staff queue one by hand.
 * Backups without a file index get one when they restore again. A deleted unit's backups expire
 * after their time, the protected one stays; the same removal deletes one backup by hand.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupReverifyTest {

    private static final String NODE = "reverify-node";

    @TempDir
    Path dir;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestData data;
    @Autowired
    Backups backups;
    @Autowired
    JobQueue queue;
    @Autowired
    MockMvc mvc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    BackupFileIndex index;

    @Test
    void aBackupWhosePackIsDamagedTurnsKoAndTheOthersStayOk() throws Exception {
        data.node(NODE, 10L << 30);
        TenantEntity tenant = data.tenant("reverify");
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        BackupReverifier reverifier = new BackupReverifier(backups, restic, props, new WebRootIndex(restic, index));

        UUID first = backup(restic, tenant, "first", 10_000);
        Set<Path> packsOfFirst = packs(props);
        UUID second = backup(restic, tenant, "second", 2_000_000);
        List<String> log = new ArrayList<>();
        // Neither has a file index yet (as backups verified before indexes existed): both get one.
        assertThat(reverifier.reverify(NODE, log::add)).isEqualTo(new BackupReverifier.Result(2, 0, 2));
        assertThat(log).anyMatch(l -> l.contains("restores and reads back"))
                .anyMatch(l -> l.contains("file index of the backup of site.example.com taken") && l.contains("stored: 1 folders, 1 entries"));
        assertThat(index.folder(first, ".")).hasValueSatisfying(entries -> assertThat(entries)
                .extracting(org.lodge.provisioning.BackupFolderView.Entry::name).containsExactly("first.bin"));
        assertThat(index.folder(second, ".")).hasValueSatisfying(entries -> assertThat(entries).singleElement()
                .satisfies(e -> assertThat(e.size()).isEqualTo(2_000_000)));

        Path damaged = packs(props).stream().filter(p -> !packsOfFirst.contains(p))
                .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        damaged.toFile().setWritable(true);
        try (RandomAccessFile pack = new RandomAccessFile(damaged.toFile(), "rw")) {
            pack.seek(pack.length() / 2);
            pack.write(new byte[4096]);
        }
        log.clear();
        assertThat(reverifier.reverify(NODE, log::add)).isEqualTo(new BackupReverifier.Result(1, 1, 0));
        assertThat(log).anyMatch(l -> l.contains("no longer restores, marked KO"));
        assertThat(outcome(first)).isEqualTo("OK");
        assertThat(outcome(second)).isEqualTo("KO");
        assertThat(jdbc.sql("select reason from backup where id = :id").param("id", second).query(String.class).single())
                .startsWith("re-verification failed: restic restore exited with");
    }

    @Test
    void theWeeklyFiringQueuesOneJobPerNodeOnceAndStaffAloneQueueOneByHand() throws Exception {
        data.node(NODE + "-2", 10L << 30);
        TenantEntity tenant = data.tenant("reverify-2");
        insertVerified(tenant, NODE + "-2", UUID.randomUUID(), "abcdef01");
        ReverifySchedule schedule = new ReverifySchedule(jdbc, queue, tx);
        schedule.queueAll(42L);
        schedule.queueAll(42L);
        assertThat(jdbc.sql("select count(*) from provisioning_job where kind = 'VERIFY_BACKUPS' and node_name = :n")
                .param("n", NODE + "-2").query(Long.class).single()).isEqualTo(1);

        mvc.perform(post("/api/nodes/" + NODE + "-2/backups/verify").with(httpBasic(data.customer(tenant), TestData.PASSWORD)))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/nodes/" + NODE + "-2/backups/verify").with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(status().isAccepted());
        mvc.perform(post("/api/nodes/no-such-node/backups/verify").with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(status().isNotFound());
    }

    @Test
    void aDeletedUnitsBackupsExpireAfterTheirTimeButNotTheProtectedOne() throws Exception {
        String node = NODE + "-3";
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("expiry");
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        UUID deletedUnit = UUID.randomUUID();
        UUID liveUnit = UUID.randomUUID();
        UUID old = backup(restic, tenant, node, deletedUnit, "old", 1000);
        UUID kept = backup(restic, tenant, node, deletedUnit, "kept", 1000);
        backups.protect(kept, true);
        UUID live = backup(restic, tenant, node, liveUnit, "live", 1000);

        Instant deletedAt = Instant.now().minus(Duration.ofDays(31));
        tx.executeWithoutResult(status -> events.publishEvent(new UnitDeleted(deletedUnit, tenant.getId(), deletedAt)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (jdbc.sql("select count(*) from backup where unit_deleted_at is not null and unit_id = :u")
                .param("u", deletedUnit).query(Long.class).single() < 2) {
            assertThat(System.nanoTime()).as("the deletion reaches the backups").isLessThan(deadline);
            Thread.sleep(50);
        }
        List<String> log = new ArrayList<>();
        assertThat(new BackupExpiry(backups, new BackupRemoval(restic, backups), props).expire(node, Instant.now(), log::add)).isEqualTo(1);
        assertThat(log).containsExactly("removed 1 backup(s) of site.example.com, deleted more than 30 days ago");
        assertThat(backups.find(old)).isEmpty();
        assertThat(backups.find(kept)).isPresent();
        assertThat(backups.find(live)).isPresent();
        assertThat(snapshotsOf(deletedUnit)).as("only the protected one left").isEqualTo(1);
        assertThat(snapshotsOf(liveUnit)).isEqualTo(1);
        assertThat(new BackupExpiry(backups, new BackupRemoval(restic, backups), props).expire(node, Instant.now(), log::add)).isZero();

        // The same removal deletes one backup by hand (the DELETE_BACKUP job's step): the snapshot
        // forgotten and pruned, the row gone; a second run finds nothing; a protected one is refused.
        BackupRemoval removal = new BackupRemoval(restic, backups);
        String snapshot = backups.find(live).orElseThrow().snapshotId();
        log.clear();
        removal.removeOne(liveUnit, live, log::add);
        assertThat(log).singleElement().asString().contains("snapshot " + snapshot + " forgotten and pruned");
        assertThat(backups.find(live)).isEmpty();
        assertThat(snapshotsOf(liveUnit)).isZero();
        log.clear();
        removal.removeOne(liveUnit, live, log::add);
        assertThat(log).containsExactly("backup " + live + " is no longer in the list: nothing to delete");
        assertThatThrownBy(() -> removal.removeOne(deletedUnit, kept, log::add)).hasMessageContaining("is protected");
        assertThat(backups.find(kept)).isPresent();
        assertThat(snapshotsOf(deletedUnit)).isEqualTo(1);
    }

    /**
     * Two backups sharing one snapshot (the second taken with nothing written since the first):
     * the quota counts the snapshot once, re-verification restores it once for both, removing one
     * keeps the snapshot for the other (still restorable), removing the other forgets it.
     */
    @Test
    void backupsSharingASnapshotKeepItUntilTheLastOfThemGoes() throws Exception {
        String node = NODE + "-4";
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("shared");
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        UUID unit = UUID.randomUUID();
        UUID first = backup(restic, tenant, node, unit, "shared", 10_000);
        UUID second = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome)"
                        + " values (:id, :t, :u, 'site.example.com', :n, '/r', now(), 'RUNNING')")
                .param("id", second).param("t", tenant.getId()).param("u", unit).param("n", node).update();
        backups.nothingWrittenSince(second, first);
        String snapshot = backups.find(first).orElseThrow().snapshotId();
        assertThat(backups.find(second).orElseThrow()).satisfies(b -> {
            assertThat(b.snapshotId()).isEqualTo(snapshot);
            assertThat(b.verified()).isTrue();
            assertThat(b.addedBytes()).isZero();
        });
        assertThat(backups.verifiedBy(second)).contains(first);
        assertThat(new BackupQuotas(jdbc).snapshots(tenant.getId(), "/r")).containsExactly(snapshot);

        List<String> log = new ArrayList<>();
        BackupReverifier reverifier = new BackupReverifier(backups, restic, props, new WebRootIndex(restic, index));
        assertThat(reverifier.reverify(node, log::add).restored()).isEqualTo(2);
        assertThat(log.stream().filter(l -> l.contains("(" + snapshot + ") restores and reads back"))).hasSize(2);

        BackupRemoval removal = new BackupRemoval(restic, backups);
        log.clear();
        removal.removeOne(unit, first, log::add);
        assertThat(log).singleElement().asString().contains("kept in the repository: another backup names it");
        assertThat(snapshotsOf(unit)).isEqualTo(1);
        Path restored = Files.createDirectories(dir.resolve("restored"));
        restic.restoreAndVerify(backups.find(second).orElseThrow().snapshotId(), restored);
        assertThat(restored.resolve("var/www/site.example.com/shared.bin")).hasSize(10_000);

        removal.remove(unit, List.of(backups.find(second).orElseThrow()));
        assertThat(snapshotsOf(unit)).isZero();
    }

    private BackupProperties props() {
        return new BackupProperties(dir.resolve("repo").toString(), dir.resolve("restic.password").toString(),
                dir.resolve("cache").toString(), dir.resolve("work").toString(), "100%", Duration.ofMinutes(5),
                Duration.ofSeconds(30), 2, Duration.ofHours(1), "0 0 4 ? * SUN", Duration.ofDays(30));
    }

    private int snapshotsOf(UUID unit) throws Exception {
        Process restic = new ProcessBuilder("/usr/bin/restic", "--repo", dir.resolve("repo").toString(), "--password-file",
                dir.resolve("restic.password").toString(), "--cache-dir", dir.resolve("cache").toString(), "snapshots",
                "--json", "--tag", ResticRepository.unitTag(unit)).start();
        byte[] out = restic.getInputStream().readAllBytes();
        assertThat(restic.waitFor()).isZero();
        return new ObjectMapper().readTree(out).size();
    }

    private UUID backup(ResticRepository restic, TenantEntity tenant, String name, int bytes) throws Exception {
        return backup(restic, tenant, NODE, UUID.randomUUID(), name, bytes);
    }

    private UUID backup(ResticRepository restic, TenantEntity tenant, String node, UUID unit, String name, int bytes)
            throws Exception {
        // The web root of the backup's domain, as in a jail's tree.
        Path tree = Files.createDirectories(dir.resolve("trees").resolve(name));
        Files.createDirectories(tree.resolve("var/www/site.example.com"));
        byte[] content = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(content);
        Files.write(tree.resolve("var/www/site.example.com").resolve(name + ".bin"), content);
        ResticRepository.Summary summary = restic.backup(tree, node, List.of(ResticRepository.unitTag(unit)));
        return insertVerified(tenant, node, unit, summary.snapshotId());
    }

    private UUID insertVerified(TenantEntity tenant, String node, UUID unit, String snapshot) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " verified_at, outcome, snapshot_id) values (:id, :t, :u, 'site.example.com', :n, '/r', now(), true,"
                        + " now(), 'OK', :s)")
                .param("id", id).param("t", tenant.getId()).param("u", unit).param("n", node)
                .param("s", snapshot).update();
        return id;
    }

    private String outcome(UUID backup) {
        return jdbc.sql("select outcome from backup where id = :id").param("id", backup).query(String.class).single();
    }

    private static Set<Path> packs(BackupProperties props) throws Exception {
        try (Stream<Path> walk = Files.walk(Path.of(props.repository(), "data"))) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }
}
