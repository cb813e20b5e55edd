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

    /**
     * A node as its worker reports it, with one pool of 10.231.99.10–10.231.99.250, one VM template
     * and two jail templates (busybox the default, web-php).
     */
    public void node(String name, long freeBytes) {
        jdbc.sql("insert into node (name, lxc_uri, storage_dir, free_disk_bytes, template_bytes, heartbeat_at)"
                        + " values (:n, 'lxc:///system', '/var/lib/lodge/jails', :f, 20971520, now())"
                        + " on conflict (name) do update set free_disk_bytes = :f")
                .param("n", name).param("f", freeBytes).update();
        jdbc.sql("insert into ip_pool (id, node_name, network_name, cidr, gateway, range_start, range_end)"
                        + " values (:id, :n, 'lodgeunit0', '10.231.99.0/24', '10.231.99.1', '10.231.99.10', '10.231.99.250')"
                        + " on conflict (node_name, network_name) do nothing")
                .param("id", UUID.randomUUID()).param("n", name).update();
        jdbc.sql("insert into unit_template (node_name, name, kind, os, version, min_disk_bytes, min_memory_mib, customisation, is_default)"
                        + " values (:n, 'lodge-test', 'VM', 'Test guest', 'lodge-test-1', 67108864, 64, 'cloud-init NoCloud seed', true)"
                        + " on conflict do nothing")
                .param("n", name).update();        // The node's jail templates as the worker reports them (the busybox one: 20 MiB copied + 12 MiB room).
        jdbc.sql("insert into unit_template (node_name, name, kind, os, version, content_hash, min_disk_bytes,"
                        + " min_memory_mib, customisation, is_default) values"
                        + " (:n, 'busybox', 'JAIL', 'BusyBox', 'busybox-test-1', 'sha256:00', 33554432, 16, 'static', true),"
                        + " (:n, 'web-php', 'JAIL', 'Debian 12: nginx, PHP-FPM', 'web-php-test-1', 'sha256:01', 41943040,"
                        + " 128, 'nginx + PHP-FPM', false)"
                        + " on conflict do nothing")
                .param("n", name).update();
    }
}
