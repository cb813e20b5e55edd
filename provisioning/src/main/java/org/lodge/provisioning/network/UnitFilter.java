package org.lodge.provisioning.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node's traffic filter for unit interfaces ({@code nft/unit-filter.nft}): no MAC, IP or ARP
 * spoofing, nothing but IPv4 and ARP, no new connection to the node's own addresses. One
 * nftables table for the whole node; a unit adds one element, (interface, MAC, IPv4), before it
 * starts and loses it with its deletion. Its interface is filtered from the first frame, entry
 * or not: without one everything it sends is dropped.
 *
 * <p>Not libvirt's nwfilter: libvirt 9.0 instantiates a filter with one process per firewall
 * command, about 160 {@code ebtables}/{@code iptables} runs per start and stop, which made a
 * jail's start 1.2 s slower on an idle node and queued concurrent starts behind each other
 * (docs/benchmarks.md). Here a start costs one {@code nft} run of about 20 ms. Elements go in
 * as nftables JSON written by Jackson, so no value is ever parsed as nft syntax.
 */
@Component
public class UnitFilter {

    private static final Logger log = LoggerFactory.getLogger(UnitFilter.class);
    private static final String FAMILY = "bridge";
    private static final String TABLE = "lodge";
    private static final String UNITS = "units";
    private static final String NODE_ADDRESSES = "node_addresses";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a unit interface may send as: its host-side interface, its MAC and its IPv4. */
    public record Entry(String port, String mac, String ipv4) {
    }

    private final HostCommands commands;
    private final ObjectMapper json;
    private final String ruleset;
    private volatile List<String> defined = List.of();

    public UnitFilter(HostCommands commands, ObjectMapper json) {
        this.commands = commands;
        this.json = json;
        try (InputStream in = UnitFilter.class.getResourceAsStream("/nft/unit-filter.nft")) {
            this.ruleset = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads the table unless it is there with the node's current addresses. Loading keeps the
     * units' elements, so it is safe at any time, and a new host address is closed at once.
     */
    public synchronized void ensureDefined() {
        List<String> addresses = nodeAddresses();
        if (addresses.equals(defined) && tableExists()) {
            return;
        }
        commands.runChecked(Program.NFT, List.of("-f", "-"), ruleset, TIMEOUT);
        ArrayNode batch = json.createArrayNode();
        batch.addObject().putObject("flush").set("set", set(NODE_ADDRESSES));
        if (!addresses.isEmpty()) {
            ObjectNode element = set(NODE_ADDRESSES);
            addresses.forEach(element.putArray("elem")::add);
            batch.addObject().putObject("add").set("element", element);
        }
        apply(batch);
        defined = addresses;
        log.info("traffic filter loaded: units reach none of the node's ports on {}", addresses);
    }

    /** Lets the unit behind {@code entry.port()} send as its MAC and IPv4; repeating it is harmless. */
    public void admit(Entry entry) {
        if (defined.isEmpty()) {
            ensureDefined();
        }
        ArrayNode batch = json.createArrayNode();
        batch.addObject().putObject("add").set("element", element(List.of(entry)));
        apply(batch);
    }

    /** Removes every element of the unit behind {@code port}; nothing to remove is fine. */
    public void release(String port) {
        removeWhere(entry -> entry.port().equals(port));
    }

    /** Removes every element whose interface matches (the doctor's repair of orphans). */
    public void removeWhere(Predicate<Entry> which) {
        List<Entry> doomed = entries().stream().filter(which).toList();
        if (!doomed.isEmpty()) {
            ArrayNode batch = json.createArrayNode();
            batch.addObject().putObject("delete").set("element", element(doomed));
            apply(batch);
        }
    }

    /** The elements as nftables lists them now; none when the table is not loaded. */
    public List<Entry> entries() {
        HostCommands.Result listed = commands.run(Program.NFT,
                List.of("-j", "list", "set", FAMILY, TABLE, UNITS), TIMEOUT);
        if (listed.exitCode() != 0) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try {
            for (JsonNode item : json.readTree(listed.output()).path("nftables")) {
                for (JsonNode elem : item.path("set").path("elem")) {
                    JsonNode parts = elem.path("concat");
                    entries.add(new Entry(parts.path(0).asText(), parts.path(1).asText(), parts.path(2).asText()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("nft listed the unit filter in a form Lodge cannot read", e);
        }
        return entries;
    }

    private boolean tableExists() {
        return commands.run(Program.NFT, List.of("list", "table", FAMILY, TABLE), TIMEOUT).exitCode() == 0;
    }

    private ObjectNode set(String name) {
        ObjectNode set = json.createObjectNode();
        set.put("family", FAMILY).put("table", TABLE).put("name", name);
        return set;
    }

    private ObjectNode element(List<Entry> entries) {
        ObjectNode element = set(UNITS);
        ArrayNode elem = element.putArray("elem");
        for (Entry entry : entries) {
            elem.addObject().putArray("concat").add(entry.port()).add(entry.mac()).add(entry.ipv4());
        }
        return element;
    }

    private void apply(ArrayNode batch) {
        ObjectNode document = json.createObjectNode();
        document.set("nftables", batch);
        commands.runChecked(Program.NFT, List.of("-j", "-f", "-"), document.toString(), TIMEOUT);
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
