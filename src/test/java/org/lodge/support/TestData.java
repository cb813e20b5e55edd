package org.lodge.support;

import java.util.UUID;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds tenants, users and (for portal-only tests) a node with a pool, as a worker would report it. */
@Component
public class TestData {

    public static final String PASSWORD = "a-long-test-password";

    private final TenantService tenants;
    private final JdbcClient jdbc;

    public TestData(TenantService tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    public TenantEntity tenant(String prefix) {
        return tenants.createTenant(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String customer(TenantEntity tenant) {
        String username = "c" + UUID.randomUUID().toString().substring(0, 8);
        tenants.createUser(username, PASSWORD, Role.CUSTOMER, tenant.getId());
        return username;
    }

    public String staff() {
        String username = "s" + UUID.randomUUID().toString().substring(0, 8);
        tenants.createUser(username, PASSWORD, Role.STAFF, null);
        return username;
    }

    /** An address of the test pool that no jail holds yet. */
    public String freeAddress() {
        return jdbc.sql("""
                select host(a) from generate_series(30, 250) n, lateral (select ('10.231.99.' || n)::inet a) x
                 where not exists (select 1 from ip_assignment where address = a) order by n limit 1""")
                .query(String.class).single();
    }

    /** A node as its worker reports it, with one pool of 10.231.99.10–10.231.99.250 and one VM template. */
    public void node(String name, long freeBytes) {
        jdbc.sql("insert into node (name, lxc_uri, storage_dir, free_disk_bytes, template_bytes, heartbeat_at)"
                        + " values (:n, 'lxc:///system', '/var/lib/lodge/jails', :f, 20971520, now())"
                        + " on conflict (name) do update set free_disk_bytes = :f")
                .param("n", name).param("f", freeBytes).update();
        jdbc.sql("insert into ip_pool (id, node_name, network_name, cidr, gateway, range_start, range_end)"
                        + " values (:id, :n, 'lodgeunit0', '10.231.99.0/24', '10.231.99.1', '10.231.99.10', '10.231.99.250')"
                        + " on conflict (node_name, network_name) do nothing")
                .param("id", UUID.randomUUID()).param("n", name).update();
        jdbc.sql("insert into vm_template (node_name, name, os, min_disk_bytes, min_memory_mib, customisation)"
                        + " values (:n, 'lodge-test', 'Test guest', 67108864, 64, 'cloud-init NoCloud seed')"
                        + " on conflict do nothing")
                .param("n", name).update();
    }
}
