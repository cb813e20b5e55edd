package org.lodge.provisioning.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A hypervisor node as its worker last reported it. */
@Entity
@Table(name = "node")
public class NodeEntity {

    @Id
    private String name;
    @Column(name = "lxc_uri")
    private String lxcUri;
    @Column(name = "storage_dir")
    private String storageDir;
    @Column(name = "free_disk_bytes")
    private long freeDiskBytes;
    @Column(name = "template_bytes")
    private long templateBytes;
    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;
    @Column(name = "qemu_uri")
    private String qemuUri;
    @Column(name = "virt_type")
    private String virtType;
    private Integer cpus;
    @Column(name = "memory_bytes")
    private Long memoryBytes;
    @Column(name = "free_memory_bytes")
    private Long freeMemoryBytes;
    @Column(name = "pool_capacity_bytes")
    private Long poolCapacityBytes;
    @Column(name = "console_host")
    private String consoleHost;
    @Column(name = "console_port")
    private Integer consolePort;
    @Column(name = "vm_max_vcpus")
    private int vmMaxVcpus;
    @Column(name = "vm_max_memory_mib")
    private int vmMaxMemoryMib;
    @Column(name = "vm_tcg_allowed")
    private boolean vmTcgAllowed;
    @Column(name = "storage_total_bytes")
    private Long storageTotalBytes;
    @Column(name = "available_memory_bytes")
    private Long availableMemoryBytes;

    protected NodeEntity() {
    }

    public NodeEntity(String name) {
        this.name = name;
    }

    public void report(String lxcUri, String storageDir, long freeDiskBytes, long templateBytes) {
        this.lxcUri = lxcUri;
        this.storageDir = storageDir;
        this.freeDiskBytes = freeDiskBytes;
        this.templateBytes = templateBytes;
        this.heartbeatAt = Instant.now();
    }

    /** The size of the jails' storage and the memory available to new work, for the node alerts. */
    public void reportHost(long storageTotalBytes, Long availableMemoryBytes) {
        this.storageTotalBytes = storageTotalBytes;
        this.availableMemoryBytes = availableMemoryBytes;
    }

    /** Where the node's console gateway listens. */
    public void reportConsoleGateway(String host, int port) {
        this.consoleHost = host;
        this.consolePort = port;
    }

    /** What libvirt's qemu driver says of the host, and the VM bounds this node accepts. */
    public void reportVm(String qemuUri, String virtType, int cpus, long memoryBytes, long freeMemoryBytes,
                         long poolCapacityBytes, int vmMaxVcpus, int vmMaxMemoryMib) {
        this.qemuUri = qemuUri;
        this.virtType = virtType;
        this.cpus = cpus;
        this.memoryBytes = memoryBytes;
        this.freeMemoryBytes = freeMemoryBytes;
        this.poolCapacityBytes = poolCapacityBytes;
        this.vmMaxVcpus = vmMaxVcpus;
        this.vmMaxMemoryMib = vmMaxMemoryMib;
    }

    /** Staff's decision: may this node run new VMs under software emulation (TCG)? */
    public void allowTcg(boolean allowed) {
        this.vmTcgAllowed = allowed;
    }

    /** A node without KVM runs its VMs under QEMU's TCG (libvirt domain type {@code qemu}). */
    public boolean vmsNeedTcg() {
        return "qemu".equals(virtType);
    }

    public String name() { return name; }
    public boolean vmTcgAllowed() { return vmTcgAllowed; }
    public String qemuUri() { return qemuUri; }
    public String virtType() { return virtType; }
    public Integer cpus() { return cpus; }
    public Long memoryBytes() { return memoryBytes; }
    public Long freeMemoryBytes() { return freeMemoryBytes; }
    public Long poolCapacityBytes() { return poolCapacityBytes; }
    public String consoleHost() { return consoleHost; }
    public Integer consolePort() { return consolePort; }
    public int vmMaxVcpus() { return vmMaxVcpus; }
    public int vmMaxMemoryMib() { return vmMaxMemoryMib; }
    public String lxcUri() { return lxcUri; }
    public String storageDir() { return storageDir; }
    public long freeDiskBytes() { return freeDiskBytes; }
    public long templateBytes() { return templateBytes; }
    public Instant heartbeatAt() { return heartbeatAt; }
}
