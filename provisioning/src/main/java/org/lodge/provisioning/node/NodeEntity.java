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

    public String name() { return name; }
    public String lxcUri() { return lxcUri; }
    public String storageDir() { return storageDir; }
    public long freeDiskBytes() { return freeDiskBytes; }
    public long templateBytes() { return templateBytes; }
    public Instant heartbeatAt() { return heartbeatAt; }
}
