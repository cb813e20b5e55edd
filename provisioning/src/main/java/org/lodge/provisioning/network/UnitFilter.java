package org.lodge.provisioning.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node's traffic filter for unit interfaces ({@code libvirt/unit-filter.xml}): no MAC, IP or
 * ARP spoofing, no new connection to the node's own addresses. One filter for the whole node
 * (libvirt's nwfilter driver serves the LXC and QEMU drivers alike); each interface passes its
 * unit's address as {@code IP}, so nothing is left per unit once its domain is gone. Written
 * rather than taken from Debian's {@code libvirt-daemon-config-nwfilter}: that package's
 * {@code clean-traffic} does not know the node's ports, and ours needs no daemon restart.
 */
@Component
public class UnitFilter {

    /** The name unit interfaces refer to in their {@code <filterref>}. */
    public static final String NAME = "lodge-unit";

    private static final Logger log = LoggerFactory.getLogger(UnitFilter.class);
    // Fixed, because libvirt refuses to redefine a filter by name under another UUID.
    private static final UUID ID = UUID.nameUUIDFromBytes(NAME.getBytes(StandardCharsets.UTF_8));

    private final LibvirtXml xml;
    private volatile List<String> defined = List.of();

    public UnitFilter(LibvirtXml xml) {
        this.xml = xml;
    }

    /**
     * Defines the filter unless it exists with the node's current addresses. Redefining it
     * makes libvirt rebuild the rules of every running unit, so a new host address is covered.
     */
    public void ensureDefined(Connect conn) {
        List<String> addresses = nodeAddresses();
        try {
            if (addresses.equals(defined) && exists(conn)) {
                return;
            }
            conn.networkFilterDefineXML(xml.render("unit-filter", Map.of("uuid", ID.toString(),
                    "nodeAddresses", addresses)));
            defined = addresses;
            log.info("traffic filter {} defined: units reach none of the node's ports on {}", NAME, addresses);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("traffic filter " + NAME, e);
        }
    }

    private static boolean exists(Connect conn) throws LibvirtException {
        for (String name : conn.listNetworkFilters()) {
            if (NAME.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Every IPv4 address of this host but loopback (a unit's packets to 127/8 never arrive). */
    static List<String> nodeAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                    .filter(Inet4Address.class::isInstance).filter(a -> !a.isLoopbackAddress())
                    .map(InetAddress::getHostAddress).distinct().sorted().toList();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the node's addresses: " + e.getMessage(), e);
        }
    }
}
