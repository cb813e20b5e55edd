package org.lodge.provisioning.network;

import inet.ipaddr.ipv4.IPv4Address;
import java.util.ArrayList;
import java.util.List;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.Ipv4Address;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Which addresses of a node's pools may be given to a new unit, and which are taken. */
@Component
public class AddressBook {

    private final IpPoolRepository pools;
    private final JdbcClient jdbc;

    public AddressBook(IpPoolRepository pools, JdbcClient jdbc) {
        this.pools = pools;
        this.jdbc = jdbc;
    }

    /** The pool that may hand out {@code address}, or a specific reason why none may. */
    public IpPoolEntity poolFor(String node, Ipv4Address address) {
        IPv4Address ip = address.toIpAddress();
        List<IpPoolEntity> nodePools = pools.findByNodeNameOrderByNetworkName(node);
        for (IpPoolEntity pool : nodePools) {
            IPv4Address subnet = pool.subnet();
            if (!subnet.contains(ip)) {
                continue;
            }
            if (ip.equals(subnet.getLower().withoutPrefixLength())) {
                throw invalid(address + " is the network address of " + pool.cidr() + "; pick a host address",
                        "ipv4.network", address.value(), pool.cidr());
            }
            if (ip.equals(subnet.getUpper().withoutPrefixLength())) {
                throw invalid(address + " is the broadcast address of " + pool.cidr() + "; pick a host address",
                        "ipv4.broadcast", address.value(), pool.cidr());
            }
            if (ip.equals(pool.gatewayAddress())) {
                throw invalid(address + " is the gateway of " + pool.cidr() + "; pick a host address",
                        "ipv4.gateway", address.value(), pool.cidr());
            }
            if (!pool.range().contains(ip)) {
                throw invalid(address + " is in " + pool.cidr() + " but outside its pool "
                        + pool.rangeStart() + "–" + pool.rangeEnd(), "ipv4.outside-pool", address.value(), pool.cidr(),
                        pool.rangeStart() + "–" + pool.rangeEnd());
            }
            return pool;
        }
        throw invalid(address + " is outside every pool of node " + node + " (allowed: " + describe(nodePools) + ")",
                "ipv4.outside-node", address.value(), node, describe(nodePools));
    }

    public boolean inUse(Ipv4Address address) {
        return jdbc.sql("select count(*) from ip_assignment where address = cast(:a as inet)")
                .param("a", address.value()).query(Long.class).single() > 0;
    }

    public long used(IpPoolEntity pool) {
        return jdbc.sql("select count(*) from ip_assignment where pool_id = :p").param("p", pool.id())
                .query(Long.class).single();
    }

    /** The first free addresses of a pool, for the operator's select. */
    public List<String> free(IpPoolEntity pool, int limit) {
        List<String> taken = jdbc.sql("select host(address) from ip_assignment where pool_id = :p")
                .param("p", pool.id()).query(String.class).list();
        List<String> free = new ArrayList<>();
        for (IPv4Address candidate : pool.range().getIterable()) {
            String text = candidate.toCanonicalString();
            if (!taken.contains(text) && !candidate.equals(pool.gatewayAddress())) {
                free.add(text);
                if (free.size() == limit) {
                    break;
                }
            }
        }
        return free;
    }

    private static String describe(List<IpPoolEntity> pools) {
        if (pools.isEmpty()) {
            return "none configured";
        }
        List<String> ranges = new ArrayList<>();
        pools.forEach(p -> ranges.add(p.rangeStart() + "–" + p.rangeEnd()));
        return String.join(", ", ranges);
    }

    private static InvalidInputException invalid(String message, String code, Object... args) {
        return new InvalidInputException("ipv4", message, code, args);
    }
}
