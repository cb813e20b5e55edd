package org.lodge.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;

/**
 * The template catalogue on the real schema (embedded PostgreSQL): which template a request gets,
 * what is refused before anything exists, and what staff may change. Each test has its own node
 * with the rows a worker reports (TestData.node): jail templates busybox (default) and web-php,
 * VM template lodge-test (default).
 */
@PortalOnlyTest
class TemplateCatalogueTest {

    @Autowired
    UnitService units;
    @Autowired
    NodeService nodes;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    String node;
    UUID tenant;

    @BeforeEach
    void node() {
        node = "cat-" + UUID.randomUUID().toString().substring(0, 8);
        data.node(node, 10L << 30);
        tenant = data.tenant("catalogue").getId();
    }

    private JobView jail(String template, String size) {
        return AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant, node, UnitKind.JAIL, size, unique(),
                data.freeAddress(), null, null, template, null), "tester"));
    }

    private Map<String, Object> unitRow(UUID id) {
        return jdbc.sql("select template, template_version, memory_mib from unit where id = :id").param("id", id)
                .query().singleRow();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private void refused(String template, String size, String field, String... fragments) {
        long jobs = count("provisioning_job");
        long units = count("unit");
        long addresses = count("ip_assignment");
        assertThatThrownBy(() -> jail(template, size)).isInstanceOfSatisfying(InvalidRequestException.class, e ->
                assertThat(e.errors()).containsKey(field).extractingByKey(field).asString().contains(fragments));
        assertThat(count("provisioning_job")).as("no job for a refused request").isEqualTo(jobs);
        assertThat(count("unit")).as("no unit for a refused request").isEqualTo(units);
        assertThat(count("ip_assignment")).as("no address taken").isEqualTo(addresses);
    }

    private static String unique() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    }

    @Test
    void aJailNamingNoTemplateGetsTheDefaultAndRecordsItsVersion() {
        JobView job = jail("", "64M");
        assertThat(unitRow(job.unitId())).containsEntry("template", "busybox")
                .containsEntry("template_version", "busybox-test-1").containsEntry("memory_mib", 64);
    }

    @Test
    void aWebPhpJailRecordsItsTemplateVersionAndGetsTheMemoryItNeeds() {
        JobView job = jail("web-php", "64M");
        assertThat(unitRow(job.unitId())).containsEntry("template", "web-php")
                .containsEntry("template_version", "web-php-test-1").containsEntry("memory_mib", 128);
    }

    @Test
    void refusesAnUnknownTemplateBeforeAnythingIsCreated() {
        refused("wordpress", "64M", "template", "unknown jail template 'wordpress'", "offers: busybox, web-php");
    }

    @Test
    void refusesATemplateOfTheOtherKind() {
        refused("lodge-test", "128M", "template", "'lodge-test' is a vm template", "a jail is made from: busybox, web-php");
    }

    @Test
    void refusesADisabledTemplateAndNoLongerOffersIt() {
        AsStaff.run(() -> nodes.enableTemplate(node, "web-php", false));
        refused("web-php", "64M", "template", "'web-php' is disabled on node " + node, "enabled jail templates: busybox");
        NodeView view = AsStaff.call(() -> nodes.node(node));
        assertThat(view.offered(UnitKind.JAIL)).extracting(NodeView.Template::name).containsExactly("busybox");
        assertThat(view.templates()).extracting(NodeView.Template::name).contains("web-php");

        AsStaff.run(() -> nodes.enableTemplate(node, "web-php", true));
        assertThat(jail("web-php", "64M").state()).isEqualTo(JobState.ENQUEUED);
    }

    @Test
    void refusesADiskSmallerThanTheTemplateNeeds() {
        refused("web-php", "36M", "diskSize", "below what template web-php needs (40 MiB at least)");
        assertThat(jail("busybox", "36M").state()).as("the smaller template fits").isEqualTo(JobState.ENQUEUED);
    }

    @Test
    void staffMakeAnotherTemplateTheDefaultOfItsKind() {
        AsStaff.run(() -> nodes.makeDefaultTemplate(node, "web-php"));
        assertThat(unitRow(jail(null, "64M").unitId())).containsEntry("template", "web-php");
        NodeView view = AsStaff.call(() -> nodes.node(node));
        assertThat(view.offered(UnitKind.JAIL)).extracting(NodeView.Template::name).containsExactly("web-php", "busybox");
        assertThat(view.templates()).filteredOn(NodeView.Template::isDefault).extracting(NodeView.Template::name)
                .containsExactlyInAnyOrder("web-php", "lodge-test");
    }

    @Test
    void theDefaultCannotBeDisabledNorADisabledTemplateMadeDefault() {
        assertThatThrownBy(() -> AsStaff.run(() -> nodes.enableTemplate(node, "busybox", false)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("busybox is the default jail template of node " + node)
                .hasMessageContaining("make another one the default before disabling it");
        AsStaff.run(() -> nodes.enableTemplate(node, "web-php", false));
        assertThatThrownBy(() -> AsStaff.run(() -> nodes.makeDefaultTemplate(node, "web-php")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("web-php is disabled");
    }

    @Test
    void theSchemaAllowsOneDefaultPerKindAndNodeAndNoDisabledDefault() {
        assertThatThrownBy(() -> jdbc.sql("update unit_template set is_default = true where node_name = :n and name = 'web-php'")
                .param("n", node).update()).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("update unit_template set enabled = false where node_name = :n and name = 'busybox'")
                .param("n", node).update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    @WithMockUser(username = "customer-of-catalogue", roles = "CUSTOMER")
    void customersCannotChangeTheCatalogue() {
        assertThatThrownBy(() -> nodes.makeDefaultTemplate(node, "web-php")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> nodes.enableTemplate(node, "busybox", false)).isInstanceOf(AccessDeniedException.class);
        assertThat(jdbc.sql("select count(*) from unit_template where node_name = :n and is_default and enabled")
                .param("n", node).query(Long.class).single()).isEqualTo(2);
    }
}
