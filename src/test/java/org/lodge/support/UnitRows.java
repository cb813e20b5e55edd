package org.lodge.support;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Many tenants and units written straight into the database, as a large ISP's would stand (for
 * list and benchmark tests; nothing runs on a node). Domains are {@code <prefix>-<n>.example.it},
 * addresses 10.200.x.y (rows only: no traffic goes anywhere), states cycle RUNNING, STOPPED, PAUSED.
 */
@Component
public class UnitRows {

    private final JdbcClient jdbc;

    public UnitRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code tenants} tenants named {@code <prefix>-tenant-<i>}, {@code units} units spread over them. */
    public void insert(String prefix, int tenants, int units, String node) {
        jdbc.sql("insert into tenant (id, name) select gen_random_uuid(), :p || '-tenant-' || i from generate_series(1, :n) i")
                .param("p", prefix).param("n", tenants).update();
        UUID pool = jdbc.sql("select id from ip_pool where node_name = :n limit 1").param("n", node).query(UUID.class).single();
        jdbc.sql("""
                with t as (select id, row_number() over (order by id) - 1 as i from tenant where name like :p || '-tenant-%')
                insert into unit (id, tenant_id, node_name, pool_id, domain, ipv4, disk_bytes, disk_used_bytes, memory_mib,
                                  libvirt_name, ftp_user, state, kind, vcpus, template)
                select gen_random_uuid(), t.id, :node, :pool, :p || '-' || n || '.example.it',
                       '10.200.0.0'::inet + n, 268435456, 1048576 * (n % 200), 64, :p || '-' || n, 'f' || n,
                       (array['RUNNING', 'STOPPED', 'PAUSED'])[1 + n % 3], 'JAIL', 1, 'busybox'
                  from generate_series(1, :units) n join t on t.i = n % :tenants""")
                .param("p", prefix).param("node", node).param("pool", pool).param("units", units)
                .param("tenants", tenants).update();
        jdbc.sql("analyze unit").update();
    }

    /**
     * Removes what {@link #insert} made under {@code prefix} (and the jobs and users made for it),
     * so that other tests sharing the database find it as it was.
     */
    public void delete(String prefix) {
        jdbc.sql("delete from provisioning_job where unit_label like :p").param("p", prefix + "-%").update();
        jdbc.sql("delete from unit where domain like :p").param("p", prefix + "-%").update();
        jdbc.sql("delete from app_user where tenant_id in (select id from tenant where name like :p)")
                .param("p", prefix + "-tenant-%").update();
        jdbc.sql("delete from tenant where name like :p").param("p", prefix + "-tenant-%").update();
    }

    /** One more unit of a tenant, with a given stored (ASCII) domain and address. */
    public UUID unit(UUID tenant, String node, String asciiDomain, String ipv4) {
        UUID id = UUID.randomUUID();
        UUID pool = jdbc.sql("select id from ip_pool where node_name = :n limit 1").param("n", node).query(UUID.class).single();
        jdbc.sql("""
                insert into unit (id, tenant_id, node_name, pool_id, domain, ipv4, disk_bytes, memory_mib, libvirt_name,
                                  ftp_user, state, kind, vcpus, template)
                values (:id, :t, :node, :pool, :d, :ip::inet, 268435456, 64, :lv, 'f1', 'RUNNING', 'JAIL', 1, 'busybox')""")
                .param("id", id).param("t", tenant).param("node", node).param("pool", pool).param("d", asciiDomain)
                .param("ip", ipv4).param("lv", "lv-" + id.toString().substring(0, 20)).update();
        return id;
    }
}
