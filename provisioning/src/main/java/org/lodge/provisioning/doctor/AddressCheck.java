package org.lodge.provisioning.doctor;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The node's IP assignments against its units. An assignment cannot outlive its unit (foreign
 * key, on delete cascade), so what can differ is an assignment that names another address than
 * its unit, a unit without an assignment (its address could be given to another), and an
 * address held by two units. None of these is an orphan to remove: they are reported for staff.
 */
record AddressCheck(JdbcClient jdbc, String node) {

    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        jdbc.sql("""
                select host(a.address) as address, u.libvirt_name, host(u.ipv4) as ipv4 from ip_assignment a
                  join unit u on u.id = a.unit_id where u.node_name = :node and a.address <> u.ipv4""")
                .param("node", node)
                .query((rs, n) -> Finding.report("IP " + rs.getString("address") + " is assigned to unit "
                        + rs.getString("libvirt_name") + ", whose address is " + rs.getString("ipv4")))
                .list().forEach(findings::add);
        jdbc.sql("""
                select u.libvirt_name, host(u.ipv4) as ipv4 from unit u where u.node_name = :node
                   and not exists (select 1 from ip_assignment a where a.unit_id = u.id)""")
                .param("node", node)
                .query((rs, n) -> Finding.report("unit " + rs.getString("libvirt_name") + " uses IP "
                        + rs.getString("ipv4") + " without an assignment (another unit could be given it)"))
                .list().forEach(findings::add);
        jdbc.sql("""
                select host(ipv4) as ipv4, count(*) as units from unit where node_name = :node
                 group by ipv4 having count(*) > 1""")
                .param("node", node)
                .query((rs, n) -> Finding.report("IP " + rs.getString("ipv4") + " is the address of "
                        + rs.getInt("units") + " units"))
                .list().forEach(findings::add);
        return findings;
    }
}
