package org.lodge.bench;

import static org.lodge.bench.Percentiles.p;
import static org.lodge.bench.Percentiles.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.libvirt.StorageVol;
import org.lodge.support.AsStaff;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.LogLine;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.NodeService;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.vm.NoCloudSeed;
import org.lodge.provisioning.vm.VmDefinitions;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.provisioning.vm.VmTemplates;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * VM creation, 10 one after the other: submit → running (linked clone defined and started) and
 * submit → guest ready (answers HTTP with its domain), beside the same libvirt calls and seed
 * made directly in the same run. Prints figures; run with {@code ./lodge bench}.
 */
@LiveNodeTest
@Tag("bench")
@Tag("worker")
class VmProvisioningBenchmark {

    private static final int RUNS = 10;
    /** Named on both sides: a node may hold several VM templates (the Debian 12 one boots far slower). */
    private static final String TEMPLATE = "lodge-test";

    @Autowired
    UnitService units;

    @Autowired

    UnitActionService actions;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    NodeProperties node;
    @Autowired
    VmHost host;
    @Autowired
    VmDefinitions definitions;
    @Autowired
    VmTemplates templates;
    @Autowired
    IpPoolRepository pools;
    @Autowired
    LibvirtXml xml;
    @Autowired
    ServiceProbe probe;
    @Autowired
    NodeService nodes;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    UnitFilter filter;

    @Test
    void vmCreationLatency() throws Exception {
        UUID tenant = data.tenant("vmbench").getId();
        AsStaff.run(() -> nodes.allowTcg(node.name(), true));
        List<Long> running = new ArrayList<>();
        List<Long> ready = new ArrayList<>();
        List<Long> rawRunning = new ArrayList<>();
        List<Long> rawReady = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String ip = "10.231.77." + (150 + i % 2);
            long[] lodge = lodge(tenant, ip, "vmb" + i + "-" + UUID.randomUUID().toString().substring(0, 4));
            running.add(lodge[0]);
            ready.add(lodge[1]);
            long[] raw = raw(i, "10.231.77." + (160 + i % 2));
            rawRunning.add(raw[0]);
            rawReady.add(raw[1]);
        }
        StringBuilder report = new StringBuilder();
        report.append("virtualisation: ").append(definitions.virtType()).append('\n');
        report.append("| series | n | p50 | p95 |\n|---|---|---|---|\n");
        report.append(row("Lodge, submit → running (linked clone, seed, define, start)", running)).append('\n');
        report.append(row("raw libvirt, same calls → running", rawRunning)).append('\n');
        report.append(row("Lodge, submit → guest ready (HTTP answers with the domain)", ready)).append('\n');
        report.append(row("raw libvirt, same calls → guest ready", rawReady)).append('\n');
        report.append(String.format("%nratio p50 Lodge / raw, running: %.2f%n", p(running, 50) / p(rawRunning, 50)));
        report.append(String.format("ratio p50 Lodge / raw, guest ready: %.2f%n", p(ready, 50) / p(rawReady, 50)));
        System.out.println("\n=== Lodge VM benchmark ===\n" + report);
        Files.writeString(Path.of("target/vm-benchmark.md"), report.toString());
    }

    /** Submit → the start-vm step done, and submit → the HTTP proof done, from the job's own log. */
    private long[] lodge(UUID tenant, String ip, String label) throws Exception {
        long submitted = System.nanoTime();
        JobView job = AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant, node.name(), UnitKind.VM, "256M", label + ".example.com",
                ip, "1", "128", TEMPLATE, null), "bench"));
        long running = 0;
        long ready = 0;
        long deadline = submitted + Duration.ofMinutes(3).toNanos();
        while (ready == 0 && System.nanoTime() < deadline) {
            List<LogLine> log = jobs.log(job.id(), 0, TenantScope.all());
            if (running == 0 && log.stream().anyMatch(l -> l.step().equals("start-vm") && l.message().startsWith("done"))) {
                running = System.nanoTime() - submitted;
            }
            if (log.stream().anyMatch(l -> l.step().equals("test-http") && l.message().startsWith("done"))) {
                ready = System.nanoTime() - submitted;
            }
            if (jobs.find(job.id(), TenantScope.all()).state().isFinal() && ready == 0) {
                throw new AssertionError(label + " ended early: " + jobs.find(job.id(), TenantScope.all()).lastError());
            }
            Thread.sleep(5);
        }
        awaitEnd(job.id());
        awaitEnd(AsStaff.call(() -> actions.requestAction(job.unitId(), UnitAction.DELETE, TenantScope.all(), "bench")).id());
        return new long[] {running, ready};
    }

    /** The same libvirt work without Lodge: overlay volume, seed volume + mkfs.vfat + mcopy, define, filter entry, start, HTTP. */
    private long[] raw(int n, String ip) throws Exception {
        VmTemplates.Template template = templates.find(TEMPLATE).orElseThrow();
        IpPoolEntity pool = pools.findByNodeNameAndNetworkName(node.name(), node.network().name()).orElseThrow();
        UnitEntity unit = UnitEntity.vm(UUID.randomUUID(), node.name(), pool.id(),
                DomainName.parse("rawvm" + n + ".example.com"), ip, 256L << 20, 128, 1, template.name());
        String name = unit.libvirtName();
        long start = System.nanoTime();
        StorageVol disk = host.pool().storageVolCreateXML(xml.render("overlay-volume", Map.of("name", name + ".qcow2",
                "capacity", 256L << 20, "backing", template.baseImage().toString())), 0);
        StorageVol seed = host.pool().storageVolCreateXML(xml.render("raw-volume", Map.of("name", name + "-seed.img",
                "capacity", 1L << 20)), 0);
        String seedPath = seed.getPath();
        try (var file = new java.io.RandomAccessFile(seedPath, "rw")) {
            file.setLength(1L << 20);
        }
        exec("/sbin/mkfs.vfat", "-n", NoCloudSeed.LABEL, seedPath);
        Path staging = Files.createTempDirectory("rawseed");
        for (Map.Entry<String, String> entry : NoCloudSeed.files(unit, pool, "raw-password", unit.domain(),
                certificates.issue(unit.domain(), ip).pem()).entrySet()) {
            Path f = staging.resolve(entry.getKey());
            Files.writeString(f, entry.getValue());
            exec("/usr/bin/mcopy", "-o", "-i", seedPath, f.toString(), "::" + entry.getKey());
            Files.delete(f);
        }
        Files.delete(staging);
        Domain domain = host.connection().domainDefineXML(definitions.render(unit));
        // The same traffic filter call as Lodge's StartVm: the node's filter drops a unit interface it
        // was not told of, and the node's neighbour entry of a reused address is flushed.
        filter.admit(new UnitFilter.Entry(name, unit.mac(), ip));
        domain.create();
        long running = System.nanoTime() - start;
        probe.awaitPage(ip, unit.domain(), "/", Duration.ofMinutes(2));
        long ready = System.nanoTime() - start;
        domain.destroy();
        domain.undefine();
        filter.release(name);
        disk.delete(0);
        seed.delete(0);
        return new long[] {running, ready};
    }

    private static void exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + new String(process.getInputStream().readAllBytes()));
        }
    }

    private void awaitEnd(UUID id) throws InterruptedException {
        while (!jobs.find(id, TenantScope.all()).state().isFinal()) {
            Thread.sleep(20);
        }
    }
}
