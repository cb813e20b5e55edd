package org.lodge.provisioning.jail;

import org.lodge.provisioning.console.ConsoleGateway;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.ConsoleTickets;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.JailConsole;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants kept apart on real jails: the node's traffic filter (no address taken from another
 * jail, none of the node's own ports reachable) and the jail's confinement (no network
 * administration, a pids limit a fork bomb stops at).
 */
@LiveNodeTest
class JailIsolationTest {

    private static final String BRIDGE = "lodgetest0";
    private static final String GATEWAY = "10.231.77.1";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitFilter unitFilter;
    @Autowired
    ConsoleGateway gateway;
    @Autowired
    ConsoleTickets tickets;
    @LocalServerPort
    int port;

    private Api staff() {
        return new Api(rest, "admin", "admin-password-for-tests");
    }


    @Test
    void aJailCanNeitherTakeAnotherJailsAddressNorReachTheNodesPorts() throws Exception {
        Api api = staff();
        String tenant = api.newTenant("iso");
        String domainA = "spoofer-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String domainB = "victim-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ipA = "10.231.77.131";
        String ipB = "10.231.77.132";
        String jobA = api.createJail(tenant, "64M", domainA, ipA);
        String jobB = api.createJail(tenant, "64M", domainB, ipB);
        String jailA = api.awaitOk(jobA).path("unitId").asText();
        String jailB = api.awaitOk(jobB).path("unitId").asText();
        long initA = initPid(jailA);
        try {
            // The network works from A (the filter is selective): B's site answers A.
            assertThat(inNetOf(initA, "/usr/bin/curl", "-s", "-m", "5", "-H", "Host: " + domainB,
                    "http://" + ipB + "/").output()).contains(domainB);

            // The portal's port answers the node itself on every node address, and A on none. The
            // worker follows new node addresses every 15 s; here at once, as other tests make bridges.
            unitFilter.ensureDefined();
            for (String address : nodeAddresses()) {
                String login = "http://" + address + ":" + port + "/login";
                assertThat(run("/usr/bin/curl", "-s", "-o", "/dev/null", "-m", "5", "-w", "%{http_code}", login)
                        .output()).as("the node reaches " + login).isEqualTo("200");
                Result fromA = inNetOf(initA, "/usr/bin/curl", "-s", "-o", "/dev/null", "--connect-timeout", "2",
                        "-w", "%{http_code}", login);
                assertThat(fromA.exitCode()).as("jail A reaches " + login + ": " + fromA.output()).isNotZero();
            }
            assertThat(probe.get(ipA, domainA, "/").body()).as("the node still reaches A").contains(domainA);

            // A takes B's address and announces it, as root of the host (past A's capability drop):
            // only the filter stands in the way.
            assertThat(inNetOf(initA, "/bin/ip", "addr", "add", ipB + "/24", "dev", "eth0").exitCode()).isZero();
            inNetOf(initA, "/bin/busybox", "arping", "-U", "-c", "2", "-w", "2", "-I", "eth0", ipB);
            for (int attempt = 0; attempt < 5; attempt++) {
                assertThat(probe.get(ipB, domainB, "/").body()).as("B answers as B").contains(domainB);
                // Make the node ask again who has B's address: A's answer must not be heard.
                run("/bin/ip", "neigh", "flush", "to", ipB, "dev", BRIDGE);
            }
            assertThat(probe.get(ipB, domainB, "/").body()).contains(domainB);
        } finally {
            inNetOf(initA, "/bin/ip", "addr", "del", ipB + "/24", "dev", "eth0");
            api.awaitOk(api.act(jailA, "delete"));
            api.awaitOk(api.act(jailB, "delete"));
        }
    }

    @Test
    void aJailsRootCannotConfigureTheNetworkAndAForkBombStopsAtThePidsLimit() throws Exception {
        Api api = staff();
        String tenant = api.newTenant("iso");
        String domain = "bomb-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String jail = api.awaitOk(api.createJail(tenant, "64M", domain, "10.231.77.133")).path("unitId").asText();
        String libvirtName = libvirtName(jail);
        try {
            long init = initPid(jail);
            String pidsGroup = "/sys/fs/cgroup/pids" + JailPidsLimit.groupOf(init, "cpu");
            assertThat(JailPidsLimit.groupOf(init, "pids")).as("init is in the jail's pids group")
                    .isEqualTo(JailPidsLimit.groupOf(init, "cpu"));
            assertThat(Files.readString(Path.of(pidsGroup, "pids.max")).strip()).isEqualTo("64");

            String token = tickets.issue("admin", UUID.fromString(jail), Purpose.GATEWAY);
            try (JailConsole console = new JailConsole(gateway.address(), jail + " " + token)) {
                // lodge-init set the hostname before it gave up sys_admin.
                console.type("echo \"name-$((1+1))-$(hostname)\"");
                assertThat(console.await("name-2-" + domain)).isNotEmpty();
                // The console's shell is a child of the jail's init: what it cannot do, the jail cannot.
                console.type("ip addr add 10.231.77.199/24 dev eth0; echo \"rc-$((20+22))-$?\"");
                String denied = console.await("rc-42-");
                assertThat(denied).contains("Operation not permitted").doesNotContain("rc-42-0");
                assertThat(droppedAll(Files.readString(Path.of("/proc", String.valueOf(init), "status"))))
                        .as("init's bounding set keeps none of net_admin, net_raw, sys_admin, mknod, sys_module, sys_time")
                        .isTrue();

                // A bounded fork bomb: 200 sleepers of 20 s, far more than the limit of 64 tasks.
                console.type("i=0; while [ $i -lt 200 ]; do sleep 20 & i=$((i+1)); done");
                console.type("echo \"forks-$((6*7))\"");
                String bomb = console.await("forks-42");
                assertThat(bomb).contains("can't fork");
                long tasks = Long.parseLong(Files.readString(Path.of(pidsGroup, "pids.current")).strip());
                assertThat(tasks).as("tasks in the jail").isBetween(60L, 64L);
                long start = System.nanoTime();
                assertThat(rest.getForEntity("/login", String.class).getStatusCode().value()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the node stays responsive")
                        .isLessThan(Duration.ofSeconds(2));
            }
        } finally {
            api.awaitOk(api.act(jail, "delete"));
        }
        try (Stream<Path> groups = Files.list(Path.of("/sys/fs/cgroup/pids/machine"))) {
            assertThat(groups.map(Path::toString)).as("the pids group goes with the jail")
                    .noneMatch(group -> group.endsWith("-" + libvirtName + ".libvirt-lxc"));
        }
    }

    /** net_admin (12), net_raw (13), sys_module (16), sys_admin (21), sys_time (25), mknod (27). */
    private static boolean droppedAll(String status) {
        String hex = status.lines().filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow()
                .substring("CapBnd:".length()).strip();
        long bounding = Long.parseUnsignedLong(hex, 16);
        for (int cap : new int[] {12, 13, 16, 21, 25, 27}) {
            if ((bounding >> cap & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    private String libvirtName(String unitId) {
        return jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", unitId)
                .query(String.class).single();
    }

    private long initPid(String unitId) throws Exception {
        try (LxcConnection conn = lxc()) {
            return JailHost.initPid(conn.connect().domainLookupByName(libvirtName(unitId))).orElseThrow();
        }
    }

    private static LxcConnection lxc() throws LibvirtException {
        return new LxcConnection(new Connect("lxc:///system"));
    }

    record LxcConnection(Connect connect) implements AutoCloseable {
        @Override
        public void close() throws LibvirtException {
            connect.close();
        }
    }

    private static List<String> nodeAddresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    addresses.add(address.getHostAddress());
                }
            }
        }
        assertThat(addresses).contains(GATEWAY);
        return addresses;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a host program inside the network namespace of the process {@code pid} (as host root). */
    private static Result inNetOf(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("/usr/bin/nsenter", "--net=/proc/" + pid + "/ns/net"));
        args.addAll(List.of(command));
        return run(args.toArray(String[]::new));
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.waitFor(), output);
    }
}
