package org.lodge.provisioning.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import java.util.List;
import org.lodge.provisioning.vm.VmDefinitions;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.console.ConsoleGateway;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.libvirt.TransientStepException;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.network.UnitFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes this worker's node known: ensures its libvirt storage pool, network and units' traffic
 * filter exist, records its IP pool, and keeps reporting free disk and template size for the
 * portal's checks (and the filter up to date with the node's addresses).
 */
@Component
@WorkerRole
public class NodeRegistration {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);

    private final NodeProperties props;
    private final NodeRepository nodes;
    private final IpPoolRepository pools;
    private final LibvirtConnections libvirt;
    private final LibvirtXml xml;
    private final TemplateReport templates;
    private final VmDefinitions vmDefinitions;
    private final ConsoleGateway consoles;
    private final UnitFilter unitFilter;

    /**
     * A pool refuses a refresh while libvirt still runs a volume job in it, e.g. one a worker killed
     * a moment ago started: the worker waits for it (about 40 s at most) instead of failing to start.
     */
    private final RetryTemplate busyPool = RetryTemplate.builder().maxAttempts(10)
            .exponentialBackoff(Duration.ofMillis(200), 2, Duration.ofSeconds(10))
            .retryOn(TransientStepException.class).build();

    private long templateBytes = -1;

    public NodeRegistration(NodeProperties props, NodeRepository nodes, IpPoolRepository pools,
                            LibvirtConnections libvirt, LibvirtXml xml, TemplateReport templates,
                            VmDefinitions vmDefinitions, ConsoleGateway consoles,
                            UnitFilter unitFilter) {
        this.props = props;
        this.nodes = nodes;
        this.pools = pools;
        this.libvirt = libvirt;
        this.xml = xml;
        this.templates = templates;
        this.vmDefinitions = vmDefinitions;
        this.consoles = consoles;
        this.unitFilter = unitFilter;
    }

    /** Runs before the worker polls, so the node exists by the time a job can be submitted. */
    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        ensureStoragePool(props.lxcUri(), props.storagePool(), props.storageDir());
        ensureStoragePool(props.vm().uri(), props.vm().storagePool(), props.vm().storageDir());
        ensureStoragePool(props.vm().uri(), props.vm().templatePool(), props.vm().templateDir());
        ensureNetwork();
        report();
        NodeProperties.Network net = props.network();
        if (pools.findByNodeNameAndNetworkName(props.name(), net.name()).isEmpty()) {
            pools.save(new IpPoolEntity(props.name(), net.name(), net.cidr(), net.gateway(), net.rangeStart(),
                    net.rangeEnd()));
        }
        log.info("node {} registered: network {} ({}), pool {}–{}", props.name(), net.name(), net.cidr(),
                net.rangeStart(), net.rangeEnd());
    }

    @Scheduled(fixedDelay = 15_000, initialDelay = 15_000)
    @Transactional
    public void report() {
        // After the network: its bridge's address is one the filter must close.
        unitFilter.ensureDefined();
        Path storage = Path.of(props.storageDir());
        long free = storage.toFile().getUsableSpace();
        NodeEntity node = nodes.findById(props.name()).orElseGet(() -> new NodeEntity(props.name()));
        node.report(props.lxcUri(), props.storageDir(), free, templateBytes());
        node.reportHost(storage.toFile().getTotalSpace(), HostMemory.available());
        reportVm(node);
        node.reportConsoleGateway(consoles.address().getHostString(), consoles.address().getPort());
        nodes.save(node);
        templates.report();
    }

    /** libvirt's node info for the node page, the VM bounds the portal enforces. */
    private void reportVm(NodeEntity node) {
        NodeProperties.Vm vm = props.vm();
        Connect conn = libvirt.get(vm.uri());
        try {
            NodeInfo info = conn.nodeInfo();
            StoragePoolInfo pool = conn.storagePoolLookupByName(vm.storagePool()).getInfo();
            node.reportVm(vm.uri(), vmDefinitions.virtType(), info.cpus, info.memory * 1024L, conn.getFreeMemory(),
                    pool.capacity, vm.maxVcpus(), vm.maxMemoryMib());
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("node info from " + vm.uri(), e);
        }
    }

    private long templateBytes() {
        if (templateBytes < 0) {
            Path template = Path.of(props.templateDir());
            if (!Files.isDirectory(template)) {
                throw new IllegalStateException("jail template " + template
                        + " is missing: run provisioning/host/setup-host.sh");
            }
            try (Stream<Path> files = Files.walk(template)) {
                // What each image receives: shared directories are mounted, not copied, and
                // symlinks (the busybox applets) take no room.
                templateBytes = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> !RootFilesystem.SHARED_DIRS.contains(template.relativize(p).getName(0).toString()))
                        .mapToLong(NodeRegistration::size).sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return templateBytes;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureStoragePool(String uri, String name, String dir) {
        busyPool.execute(retry -> {
            if (retry.getRetryCount() > 0) {
                log.warn("storage pool {} is busy, trying again: {}", name, retry.getLastThrowable().getMessage());
            }
            ensureStoragePoolOnce(uri, name, dir);
            return null;
        });
    }

    private void ensureStoragePoolOnce(String uri, String name, String dir) {
        Connect conn = libvirt.get(uri);
        try {
            Files.createDirectories(Path.of(dir));
            StoragePool pool;
            try {
                pool = conn.storagePoolLookupByName(name);
            } catch (LibvirtException e) {
                if (!LibvirtErrors.isMissing(e)) {
                    throw e;
                }
                pool = conn.storagePoolDefineXML(xml.render("storage-pool", Map.of("name", name, "path", dir)), 0);
                pool.setAutostart(1);
            }
            if (pool.isActive() == 0) {
                pool.create(0);
            }
            pool.refresh(0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("storage pool " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureNetwork() {
        NodeProperties.Network net = props.network();
        Connect conn = libvirt.get(props.lxcUri());
        try {
            Network network;
            try {
                network = conn.networkLookupByName(net.name());
            } catch (LibvirtException e) {
                if (!LibvirtErrors.isMissing(e)) {
                    throw e;
                }
                IpPoolEntity shape = new IpPoolEntity(props.name(), net.name(), net.cidr(), net.gateway(),
                        net.rangeStart(), net.rangeEnd());
                network = conn.networkDefineXML(xml.render("network", Map.of("name", net.name(),
                        "bridge", net.name(), "gateway", net.gateway(), "prefix", shape.prefixLength())));
                network.setAutostart(true);
            }
            if (network.isActive() == 0) {
                network.create();
            }
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("network " + net.name(), e);
        }
    }
}
