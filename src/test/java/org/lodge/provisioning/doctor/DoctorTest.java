package org.lodge.provisioning.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The doctor on a real node: orphans planted behind Lodge's back (a libvirt LXC domain named like
 * a unit without one, an image volume without a unit, an IP assignment whose unit has nothing on
 * the node) are listed by a check, removed by a repair through the deletion steps, and a second
 * check finds none; a healthy jail and a domain whose unit has a queued job are left alone.
 */
@LiveNodeTest
class DoctorTest {

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    LibvirtConnections libvirt;
    @Autowired
    NodeProperties node;
    @Autowired
    LibvirtXml xml;
    @Autowired
    TestData data;
    @Autowired
    UnitFilter filter;

    private Api staff() {
        return new Api(rest, "admin", "admin-password-for-tests");
    }

    @Test
    void listsPlantedOrphansRepairsThemAndLeavesHealthyAndPendingUnitsAlone() throws Exception {
        Api api = staff();
        String tenant = "doc-" + UUID.randomUUID().toString().substring(0, 6);
        api.post("/api/tenants", Map.of("name", tenant));
        JsonNode healthy = api.awaitOk(api.createJail(tenant, "64M", "healthy-" + hex() + ".example.com", freeAddress()));
        String healthyId = healthy.path("unitId").asText();
        String healthyName = "lodge-" + healthyId.substring(0, 8);

        Connect lxc = libvirt.get(node.lxcUri());
        String domainOrphan = "lodge-" + hex();
        define(lxc, domainOrphan);
        String volumeOrphan = "lodge-" + hex();
        lxc.storagePoolLookupByName(node.storagePool()).storageVolCreateXML(xml.render("raw-volume",
                Map.of("name", volumeOrphan + ".img", "capacity", 1L << 20)), 0);
        // A filter entry left by a unit gone behind Lodge's back: it would let that MAC and IP through.
        String filterOrphan = "lodge-" + hex();
        String filterOrphanIp = freeAddress();
        filter.admit(new UnitFilter.Entry(filterOrphan, "52:54:00:de:ad:01", filterOrphanIp));
        UUID ghost = UUID.randomUUID();
        String ghostIp = freeAddress();
        jdbc.sql("""
                insert into unit (id, kind, tenant_id, node_name, pool_id, domain, ipv4, disk_bytes, memory_mib,
                                  libvirt_name, ftp_user, state, template)
                select :id, 'JAIL', :tenant, :node, p.id, :domain, cast(:ip as inet), 67108864, 64, :name, :ftp, 'STOPPED',
                       'busybox'
                  from ip_pool p where p.node_name = :node""")
                .param("id", ghost).param("tenant", UUID.randomUUID()).param("node", node.name())
                .param("domain", "ghost-" + hex() + ".example.com").param("ip", ghostIp)
                .param("name", "lodge-" + ghost.toString().substring(0, 8)).param("ftp", "web" + ghost.toString().substring(0, 8))
                .update();
        jdbc.sql("insert into ip_assignment (address, pool_id, unit_id) select cast(:ip as inet), pool_id, id from unit where id = :id")
                .param("ip", ghostIp).param("id", ghost).update();
        // A unit being provisioned elsewhere in the engine: its job is queued, its row not written yet.
        UUID pending = UUID.randomUUID();
        String pendingName = "lodge-" + pending.toString().substring(0, 8);
        define(lxc, pendingName);
        data.node("doctor-elsewhere", 1L << 30);
        UUID pendingJob = UUID.randomUUID();
        jdbc.sql("""
                insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,
                                              idempotency_key, created_by)
                values (:id, 'CREATE_JAIL', 'ENQUEUED', 'doctor-elsewhere', :tenant, :unit, 'pending.example', '{}', :key, 'test')""")
                .param("id", pendingJob).param("tenant", UUID.randomUUID()).param("unit", pending)
                .param("key", pendingJob.toString()).update();
        try {
            String check = runDoctor(api, false);
            assertThat(check)
                    .contains("orphan: libvirt domain " + domainOrphan + " (LXC) has no unit")
                    .contains("orphan: image volume " + volumeOrphan + ".img in pool " + node.storagePool() + " has no unit")
                    .contains("IP " + ghostIp + " is assigned to a unit that does not exist on the node")
                    .contains("orphan: traffic filter entry of " + filterOrphan + " (52:54:00:de:ad:01 " + filterOrphanIp
                            + ") has no unit")
                    .doesNotContain(pendingName).doesNotContain(healthyName)
                    .containsPattern("summary: \\d+ differences, [1-9]\\d* orphans");
            assertThat(exists(lxc, domainOrphan)).as("a check removes nothing").isTrue();
            JsonNode latest = api.json(api.get("/api/nodes/" + node.name() + "/doctor"));
            assertThat(latest.path("kind").asText()).isEqualTo("DOCTOR");
            assertThat(latest.path("summary").asText()).startsWith("summary: ");

            String repair = runDoctor(api, true);
            assertThat(repair).contains("domain " + domainOrphan + " undefined")
                    .contains("image " + volumeOrphan + ".img deleted")
                    .contains("address " + ghostIp + " and domain ghost-")
                    .contains("traffic filter entry of " + filterOrphan + " removed");
            assertThat(filter.entries()).extracting(UnitFilter.Entry::port).doesNotContain(filterOrphan)
                    .as("the healthy unit keeps its entry").contains(healthyName);
            assertThat(exists(lxc, domainOrphan)).isFalse();
            assertThat(lxc.storagePoolLookupByName(node.storagePool()).listVolumes()).doesNotContain(volumeOrphan + ".img");
            assertThat(jdbc.sql("select count(*) from ip_assignment where address = cast(:ip as inet)").param("ip", ghostIp)
                    .query(Long.class).single()).isZero();
            assertThat(exists(lxc, pendingName)).as("a unit with a job in progress is left alone").isTrue();
            assertThat(exists(lxc, healthyName)).isTrue();
            assertThat(api.json(api.get("/api/units/" + healthyId)).path("state").asText()).isEqualTo("RUNNING");

            // The healthy jail's FTP account removed inside its image (as its root could): reported, not an orphan.
            String ftpUser = jdbc.sql("select ftp_user from unit where id = cast(:id as uuid)").param("id", healthyId)
                    .query(String.class).single();
            Path passwd = Path.of(node.mountDir(), healthyName, "etc/passwd");
            String accounts = Files.readString(passwd);
            Files.writeString(passwd, accounts.lines().filter(l -> !l.startsWith(ftpUser + ":"))
                    .collect(Collectors.joining("\n", "", "\n")));
            assertThat(runDoctor(api, false)).contains("its FTP account " + ftpUser + " is missing from the jail's /etc/passwd")
                    .containsPattern("summary: \\d+ differences, 0 orphans");
            Files.writeString(passwd, accounts);
        } finally {
            jdbc.sql("delete from provisioning_job where id = :id").param("id", pendingJob).update();
            if (exists(lxc, pendingName)) {
                lxc.domainLookupByName(pendingName).undefine();
            }
            api.awaitOk(api.act(healthyId, "delete"));
        }
    }

    @Test
    void customersCannotRunTheDoctor() {
        String customer = data.customer(data.tenant("doc"));
        ResponseEntity<String> response = new Api(rest, customer, TestData.PASSWORD)
                .post("/api/nodes/" + node.name() + "/doctor", null);
        assertThat(response.getStatusCode().value()).isEqualTo(403);
    }

    private String runDoctor(Api api, boolean repair) throws InterruptedException {
        ResponseEntity<String> queued = api.post("/api/nodes/" + node.name() + "/doctor?repair=" + repair, null);
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String jobId = api.json(queued).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(60));
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        return log;
    }

    private static void define(Connect conn, String name) throws LibvirtException {
        conn.domainDefineXML("<domain type='lxc'><name>" + name + "</name><memory unit='MiB'>16</memory>"
                + "<os><type>exe</type><init>/bin/sh</init></os><devices><console type='pty'/></devices></domain>");
    }

    private static boolean exists(Connect conn, String name) throws LibvirtException {
        try {
            conn.domainLookupByName(name);
            return true;
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return false;
            }
            throw e;
        }
    }

    private String freeAddress() {
        return jdbc.sql("""
                select host(a) from generate_series(150, 199) n, lateral (select ('10.231.77.' || n)::inet a) x
                 where not exists (select 1 from ip_assignment where address = a) order by n limit 1""")
                .query(String.class).single();
    }

    private static String hex() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
