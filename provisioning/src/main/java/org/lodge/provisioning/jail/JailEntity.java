package org.lodge.provisioning.jail;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.JailState;
import org.lodge.provisioning.JailView;

/** A jail: a libvirt LXC domain whose root is a raw ext4 image of exactly {@code diskBytes}. */
@Entity
@Table(name = "jail")
public class JailEntity {

    @Id
    private UUID id;
    @Column(name = "tenant_id")
    private UUID tenantId;
    @Column(name = "node_name")
    private String nodeName;
    @Column(name = "pool_id")
    private UUID poolId;
    private String domain;
    @Column(columnDefinition = "inet")
    @ColumnTransformer(write = "?::inet", read = "host(ipv4)")
    private String ipv4;
    @Column(name = "disk_bytes")
    private long diskBytes;
    @Column(name = "disk_used_bytes")
    private Long diskUsedBytes;
    @Column(name = "memory_mib")
    private int memoryMib;
    @Column(name = "libvirt_name")
    private String libvirtName;
    @Column(name = "ftp_user")
    private String ftpUser;
    @Enumerated(EnumType.STRING)
    private JailState state;
    /** First host uid/gid of the jail's range, chosen by the database (see V3 migration). */
    @Column(name = "uid_base", insertable = false, updatable = false)
    private Long uidBase;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected JailEntity() {
    }

    public JailEntity(UUID tenantId, String nodeName, UUID poolId, DomainName domain, String ipv4, long diskBytes,
                      int memoryMib) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.nodeName = nodeName;
        this.poolId = poolId;
        this.domain = domain.ascii();
        this.ipv4 = ipv4;
        this.diskBytes = diskBytes;
        this.memoryMib = memoryMib;
        // libvirt names and FTP users derive from the id, never from user input.
        String shortId = id.toString().substring(0, 8);
        this.libvirtName = "lodge-" + shortId;
        this.ftpUser = "web" + shortId;
        this.state = JailState.PROVISIONING;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public void changeState(JailState state) {
        this.state = state;
        this.updatedAt = Instant.now();
    }

    public void resized(long diskBytes) {
        this.diskBytes = diskBytes;
        this.updatedAt = Instant.now();
    }

    public void diskUsed(Long bytes) {
        this.diskUsedBytes = bytes;
    }

    public JailView view() {
        return new JailView(id, tenantId, nodeName, domain, DomainName.parse(domain).unicode(), ipv4, diskBytes,
                diskUsedBytes, memoryMib, state, ftpUser, createdAt);
    }

    public UUID id() { return id; }
    public UUID tenantId() { return tenantId; }
    public String nodeName() { return nodeName; }
    public UUID poolId() { return poolId; }
    public String domain() { return domain; }
    public String ipv4() { return ipv4; }
    public long diskBytes() { return diskBytes; }
    public int memoryMib() { return memoryMib; }
    public String libvirtName() { return libvirtName; }
    public String ftpUser() { return ftpUser; }
    public JailState state() { return state; }
    public long uidBase() { return uidBase; }
}
