package org.lodge.provisioning.network;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressSeqRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A range of addresses on one libvirt network of one node. */
@Entity
@Table(name = "ip_pool")
public class IpPoolEntity {

    @Id
    private UUID id;
    @Column(name = "node_name")
    private String nodeName;
    @Column(name = "network_name")
    private String networkName;
    @Column(columnDefinition = "cidr")
    @ColumnTransformer(write = "?::cidr")
    private String cidr;
    @Column(columnDefinition = "inet")
    @ColumnTransformer(write = "?::inet", read = "host(gateway)")
    private String gateway;
    @Column(name = "range_start", columnDefinition = "inet")
    @ColumnTransformer(write = "?::inet", read = "host(range_start)")
    private String rangeStart;
    @Column(name = "range_end", columnDefinition = "inet")
    @ColumnTransformer(write = "?::inet", read = "host(range_end)")
    private String rangeEnd;

    protected IpPoolEntity() {
    }

    public IpPoolEntity(String nodeName, String networkName, String cidr, String gateway, String rangeStart,
                        String rangeEnd) {
        this.id = UUID.randomUUID();
        this.nodeName = nodeName;
        this.networkName = networkName;
        this.cidr = cidr;
        this.gateway = gateway;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
    }

    public IPv4Address subnet() {
        return new IPAddressString(cidr).getAddress().toIPv4().toPrefixBlock();
    }

    public IPv4AddressSeqRange range() {
        return address(rangeStart).spanWithRange(address(rangeEnd));
    }

    public IPv4Address gatewayAddress() {
        return address(gateway);
    }

    public int prefixLength() {
        return subnet().getNetworkPrefixLength();
    }

    static IPv4Address address(String text) {
        return new IPAddressString(text).getAddress().toIPv4().withoutPrefixLength();
    }

    public UUID id() { return id; }
    public String nodeName() { return nodeName; }
    public String networkName() { return networkName; }
    public String cidr() { return cidr; }
    public String gateway() { return gateway; }
    public String rangeStart() { return rangeStart; }
    public String rangeEnd() { return rangeEnd; }
}
