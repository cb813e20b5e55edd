package org.lodge.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.SqlStatements;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The checks made before any job exists, against the real schema on embedded PostgreSQL. */
@PortalOnlyTest
class UnitRequestValidationTest {

    private static final String NODE = "unit-node";

    @Autowired
    UnitService jails;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    NodeService nodes;
    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;

    UUID tenant;

    @BeforeEach
    void node() {
        data.node(NODE, 10L << 30);
        tenant = data.tenant("validation").getId();
    }

    private JobView request(String size, String domain, String ip) {
        return AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, size, domain, ip, null), "tester"));
    }

    private long jobs() {
        return jdbc.sql("select count(*) from provisioning_job").query(Long.class).single();
    }

    private void refused(String size, String domain, String ip, String field, String fragment) {
        long before = jobs();
        assertThatThrownBy(() -> request(size, domain, ip))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.errors()).containsKey(field).extractingByKey(field).asString().contains(fragment));
        assertThat(jobs()).as("no job is created for a refused request").isEqualTo(before);
    }

    private static String unique() {
        return "v" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    }

    @Test
    void queuesAValidRequestWithItsReservation() {
        JobView job = request("256M", "Bücher-" + UUID.randomUUID().toString().substring(0, 4) + ".example.com", "10.231.99.11");
        assertThat(job.state()).isEqualTo(JobState.ENQUEUED);
        assertThat(job.kind()).isEqualTo(JobKind.CREATE_JAIL);
        assertThat(job.unitLabel()).startsWith("xn--");
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = '10.231.99.11'").query(Long.class).single())
                .isEqualTo(1);
        assertThat(jails.find(job.unitId(), TenantScope.of(tenant)).state()).isEqualTo(UnitState.PROVISIONING);
    }

    /**
     * The checks share one read-only transaction and the reservation has its own: two check-outs
     * of a connection, where each check used to take its own (and its own begin and commit); the
     * new unit and job are inserted as such, not merged (which read them first: 13 statements).
     */
    @Test
    void aValidRequestTakesOneConnectionForItsChecksAndItsReservation() throws Exception {
        request("256M", unique(), "10.231.99.226");
        int[] statements = new int[1];
        int connections = SqlStatements.connections(() ->
                statements[0] = SqlStatements.count(() -> request("256M", unique(), "10.231.99.227")));
        assertThat(connections).as("connections (one transaction) for " + statements[0] + " statements").isEqualTo(1);
        // Five checks (node, pools, address, domain, templates); the unit, its address, the job (each
        // row inserted without a SELECT first), then its transition, first log line and wake-up in one.
        assertThat(statements[0]).isLessThanOrEqualTo(9);
    }

    @Test
    void refusesAnAddressOutsideEveryPool() {
        refused("256M", unique(), "10.231.98.5", "ipv4", "outside every pool");
    }

    @Test
    void refusesNetworkBroadcastAndGatewayAddresses() {
        refused("256M", unique(), "10.231.99.0", "ipv4", "network address");
        refused("256M", unique(), "10.231.99.255", "ipv4", "broadcast address");
        refused("256M", unique(), "10.231.99.1", "ipv4", "gateway");
    }

    @Test
    void refusesAnAddressInTheSubnetButOutsideThePoolRange() {
        refused("256M", unique(), "10.231.99.251", "ipv4", "outside its pool");
    }

    @Test
    void refusesAnIpAlreadyInUse() {
        request("256M", unique(), "10.231.99.231");
        refused("256M", unique(), "10.231.99.231", "ipv4", "already in use");
    }

    @Test
    void refusesADomainAlreadyHosted() {
        String domain = unique();
        request("256M", domain, "10.231.99.232");
        refused("256M", domain.toUpperCase(), "10.231.99.14", "domain", "already hosted");
    }

    @Test
    void namesATakenDomainAndAddressTogetherAndBesideAnotherBadField() {
        String domain = unique();
        request("256M", domain, "10.231.99.233");
        long before = jobs();
        assertThatThrownBy(() -> request("256M", domain, "10.231.99.233"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.errors()).containsOnlyKeys("domain", "ipv4");
                    assertThat(e.errors().get("domain")).asString().contains("already hosted");
                    assertThat(e.errors().get("ipv4")).asString().contains("already in use");
                });
        assertThatThrownBy(() -> request("lots", domain, "10.231.99.233"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.errors()).containsOnlyKeys("diskSize", "domain", "ipv4"));
        assertThat(jobs()).as("nothing is written").isEqualTo(before);
    }

    /**
     * Another transaction inserts the domain and has not committed: the check cannot see it, the
     * insert waits on the unique key, and fails when that transaction commits. The refusal names
     * the domain in words, also inside a caller's own transaction (a restore into a new unit), which
     * the failed insert aborted: asking the database which key refused it was a 500 there.
     */
    @Test
    void aDomainTakenBetweenTheCheckAndTheInsertIsRefusedInWordsInsideACallersTransaction() throws Exception {
        UUID model = request("256M", unique(), "10.231.99.236").unitId();
        String domain = unique();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("""
                    insert into unit (id, kind, tenant_id, node_name, pool_id, domain, ipv4, disk_bytes, memory_mib,
                                      template, libvirt_name, ftp_user, state)
                    select ?, kind, tenant_id, node_name, pool_id, ?, ipv4, disk_bytes, memory_mib, template, ?, ?, state
                      from unit where id = ?""")) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, domain);
                insert.setString(3, "lodge-" + id.toString().substring(0, 8));
                insert.setString(4, "web" + id.toString().substring(0, 8));
                insert.setObject(5, model);
                insert.executeUpdate();
            }
            Future<JobView> late = caller.submit(() -> new TransactionTemplate(transactions)
                    .execute(status -> request("256M", domain, "10.231.99.237")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and query like 'insert into unit %'").query(Long.class)
                    .single() == 0) {
                assertThat(System.nanoTime()).as("the request's insert waits on the domain's key").isLessThan(deadline);
                Thread.sleep(20);
            }
            other.commit();
            assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.errors()).containsOnlyKeys("domain");
                        assertThat(e.errors().get("domain")).asString().contains("already hosted");
                    });
        } finally {
            caller.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from ip_assignment where address = '10.231.99.237'").query(Long.class)
                .single()).as("nothing of the refused request is left").isZero();
    }

    @Test
    void refusesADiskBelowTheTemplatesNeedOrAboveTheFreeSpace() {
        refused("20M", unique(), "10.231.99.15", "diskSize", "below what template busybox needs");
        refused("11G", unique(), "10.231.99.15", "diskSize", "free on node");
    }

    @Test
    void refusesVmsUnderSoftwareEmulationUntilStaffAllowIt() {
        String node = "tcg-node";
        data.node(node, 10L << 30);
        jdbc.sql("update node set virt_type = 'qemu', vm_max_vcpus = 2, vm_max_memory_mib = 512 where name = :n")
                .param("n", node).update();
        UnitRequest vm = new UnitRequest(tenant, node, UnitKind.VM, "256M", unique(), "10.231.99.40", "1", "128",
                null, null);
        long before = jobs();
        assertThatThrownBy(() -> AsStaff.call(() -> jails.requestUnit(vm, "tester")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.errors().get("kind")).contains("software emulation (TCG)"));
        assertThat(jobs()).isEqualTo(before);

        AsStaff.run(() -> nodes.allowTcg(node, true));
        assertThat(AsStaff.call(() -> jails.requestUnit(vm, "tester")).kind()).isEqualTo(JobKind.CREATE_VM);
    }

    @Test
    void refusesLookAlikeAndSpecialUseDomainsAndSizesInBytesBeforeAnyJob() {
        refused("256M", "ex\u0430mple.com", "10.231.99.21", "domain", "mixes Cyrillic and Latin letters");
        refused("256M", "\u0440\u0430\u0443\u0440\u0430l.com", "10.231.99.21", "domain", "mixes Cyrillic and Latin");
        refused("256M", "example.local", "10.231.99.21", "domain", ".local is used by multicast DNS");
        refused("256M", "xn--ls8h.xn--ls8h", "10.231.99.21", "domain", "emoji");
        refused("256M", "ex--ample.com", "10.231.99.21", "domain", "3rd and 4th characters");
        refused("64b", unique(), "10.231.99.21", "diskSize", "too small (64 bytes)");
    }

    @Test
    void takesAnSshKeyForAVmOnlyAndOnlyAValidOne() {
        String node = "ssh-node";
        data.node(node, 10L << 30);
        AsStaff.run(() -> nodes.allowTcg(node, true));
        long before = jobs();
        UnitRequest jail = new UnitRequest(tenant, NODE, UnitKind.JAIL, "256M", unique(), "10.231.99.41", null, null,
                null, null, null, SshPublicKeyTest.ED25519);
        assertThatThrownBy(() -> AsStaff.call(() -> jails.requestUnit(jail, "tester")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.errors().get("sshKey")).contains("an SSH key is for a VM"));
        UnitRequest weak = new UnitRequest(tenant, node, UnitKind.VM, "256M", unique(), "10.231.99.42", "1", "128",
                null, null, null, SshPublicKeyTest.RSA_1024);
        assertThatThrownBy(() -> AsStaff.call(() -> jails.requestUnit(weak, "tester")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e ->
                        assertThat(e.errors().get("sshKey")).contains("1024 bits"));
        assertThat(jobs()).isEqualTo(before);

        UnitRequest vm = new UnitRequest(tenant, node, UnitKind.VM, "256M", unique(), "10.231.99.42", "1", "128",
                null, null, null, SshPublicKeyTest.ED25519);
        JobView job = AsStaff.call(() -> jails.requestUnit(vm, "tester"));
        assertThat(jdbc.sql("select ssh_authorized_key from unit where id = :id").param("id", job.unitId())
                .query(String.class).single()).isEqualTo(SshPublicKeyTest.ED25519);
    }

    @Test
    void refusesAnUnknownNode() {
        long before = jobs();
        assertThatThrownBy(() -> AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, "nowhere", "256M", unique(), "10.231.99.16", null), "t")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors()).containsKey("node"));
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        assertThatThrownBy(() -> request("-1G", "bad domain", "300.1.1.1"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.errors()).containsKeys("diskSize", "domain", "ipv4"));
    }

    @Test
    void theSameIdempotencyKeyQueuesOneJob() {
        String key = UUID.randomUUID().toString();
        JobView first = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, "256M", unique(), "10.231.99.17", key), "t"));
        JobView again = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(tenant, NODE, "256M", unique(), "10.231.99.18", key), "t"));
        assertThat(again.id()).isEqualTo(first.id());
    }

    @Test
    void twoConcurrentRequestsForOneAddressGiveItOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String ip = "10.231.99." + (19 + (round % 2));
            jdbc.sql("delete from ip_assignment where address = cast(:a as inet)").param("a", ip).update();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<JobView>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String domain = unique();
                Callable<JobView> call = () -> {
                    start.await();
                    return request("256M", domain, ip);
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            int ok = 0;
            int refused = 0;
            for (Future<JobView> result : results) {
                try {
                    result.get();
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("already in use");
                    refused++;
                }
            }
            pool.shutdown();
            assertThat(ok).as("exactly one request gets the address").isEqualTo(1);
            assertThat(refused).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)").param("a", ip)
                    .query(Long.class).single()).isEqualTo(1);
        }
    }
}
