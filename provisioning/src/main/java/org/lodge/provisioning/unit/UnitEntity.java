package org.lodge.provisioning.unit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.UnitView;

/**
 * A unit: a jail (libvirt LXC domain whose root is a raw ext4 image of exactly {@code diskBytes})
 * or a VM (libvirt QEMU domain on a qcow2 linked clone of {@code diskBytes}).
 */
@Entity
@Table(name = "unit")
public class UnitEntity {

    @Id
    private UUID id;
    @Enumerated(EnumType.STRING)
    private UnitKind kind;
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
    private int vcpus;
    private String template;
    /** The version of the template the unit was made from (null for jails older than the catalogue). */
    @Column(name = "template_version")
    private String templateVersion;
    private String mac;
    @Column(name = "libvirt_name")
    private String libvirtName;
    @Column(name = "ftp_user")
    private String ftpUser;
    @Enumerated(EnumType.STRING)
    private UnitState state;
    /** Why the unit is suspended (NON_PAYMENT, STAFF), or null: a suspended unit's owner cannot start it. */
    @Column(name = "suspended_for")
    private String suspendedFor;
    /** How many snapshots this VM's customers may keep (0: snapshots are staff work), V30. */
    @Column(name = "customer_snapshots")
    private int customerSnapshots;
    /** First host uid/gid of the jail's range, chosen by the database (see V3 migration). */
    @Column(name = "uid_base", insertable = false, updatable = false)
    private Long uidBase;
    /** The OpenSSH public key a VM's root account accepts, from the seed; null for none. */
    @Column(name = "ssh_authorized_key")
    private String sshAuthorizedKey;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    // A wrapper, null until persisted: Spring Data then sees a new row (persist, one INSERT), where a
    // primitive made it judge by the id, which is set at construction, and merge (a SELECT first).
    @Version
    private Long version;

    protected UnitEntity() {
    }

    public static UnitEntity jail(UUID tenantId, String nodeName, UUID poolId, DomainName domain, String ipv4,
                                  long diskBytes, int memoryMib, String template) {
        return new UnitEntity(UnitKind.JAIL, tenantId, nodeName, poolId, domain, ipv4, diskBytes, memoryMib, 1, template);
    }

    public static UnitEntity vm(UUID tenantId, String nodeName, UUID poolId, DomainName domain, String ipv4,
                                long diskBytes, int memoryMib, int vcpus, String template) {
        return new UnitEntity(UnitKind.VM, tenantId, nodeName, poolId, domain, ipv4, diskBytes, memoryMib, vcpus,
                template);
    }

    private UnitEntity(UnitKind kind, UUID tenantId, String nodeName, UUID poolId, DomainName domain, String ipv4,
                       long diskBytes, int memoryMib, int vcpus, String template) {
        this.id = UUID.randomUUID();
        this.kind = kind;
        this.tenantId = tenantId;
        this.nodeName = nodeName;
        this.poolId = poolId;
        this.domain = domain.ascii();
        this.ipv4 = ipv4;
        this.diskBytes = diskBytes;
        this.memoryMib = memoryMib;
        this.vcpus = vcpus;
        this.template = template;
        // libvirt names and FTP users derive from the id, never from user input.
        String shortId = id.toString().substring(0, 8);
        this.libvirtName = "lodge-" + shortId;
        this.ftpUser = "web" + shortId;
        // A jail's MAC is chosen at its first definition (and read back from libvirt later), a VM's kept here.
        this.mac = kind == UnitKind.VM ? macOf(id) : null;
        this.state = UnitState.PROVISIONING;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    /**
     * The MAC of a new unit's interface: locally administered and unicast ({@code 52}), then the first
     * five bytes of its id. They hold the four of its libvirt name, a unique key, so two units never
     * share a MAC on the node's network (three random bytes, as libvirt and QEMU choose, would at a
     * few thousand units).
     */
    public static String macOf(UUID id) {
        byte[] idBytes = ByteBuffer.allocate(Long.BYTES).putLong(id.getMostSignificantBits()).array();
        return "52:" + HexFormat.ofDelimiter(":").formatHex(idBytes, 0, 5);
    }

    /** Records the version of the template this new unit is made from. */
    public void madeFromVersion(String version) {
        this.templateVersion = version;
    }

    public void authorizeSshKey(String line) {
        this.sshAuthorizedKey = line;
    }

    public String sshAuthorizedKey() {
        return sshAuthorizedKey;
    }

    public void changeState(UnitState state) {
        this.state = state;
        this.updatedAt = Instant.now();
    }

    public void resized(long diskBytes) {
        this.diskBytes = diskBytes;
        this.updatedAt = Instant.now();
    }

    public void resized(int memoryMib, int vcpus) {
        this.memoryMib = memoryMib;
        this.vcpus = vcpus;
        this.updatedAt = Instant.now();
    }

    public void suspend(String reason) {
        this.suspendedFor = reason;
        this.updatedAt = Instant.now();
    }

    public void unsuspend() {
        this.suspendedFor = null;
        this.updatedAt = Instant.now();
    }

    public void customerSnapshots(int cap) {
        this.customerSnapshots = cap;
    }

    public int customerSnapshots() {
        return customerSnapshots;
    }

    public void diskUsed(Long bytes) {
        this.diskUsedBytes = bytes;
    }

    public UnitView view() {
        return new UnitView(id, kind, tenantId, nodeName, domain, DomainName.stored(domain).unicode(), ipv4, diskBytes,
                diskUsedBytes, memoryMib, vcpus, template, templateVersion, mac, state, ftpUser, createdAt, suspendedFor);
    }

    public UUID id() { return id; }
    public UnitKind kind() { return kind; }
    public int vcpus() { return vcpus; }
    public String template() { return template; }
    public String templateVersion() { return templateVersion; }
    public String mac() { return mac; }
    public UUID tenantId() { return tenantId; }
    public String nodeName() { return nodeName; }
    public UUID poolId() { return poolId; }
    public String domain() { return domain; }
    public String ipv4() { return ipv4; }
    public long diskBytes() { return diskBytes; }
    public int memoryMib() { return memoryMib; }
    public String libvirtName() { return libvirtName; }
    public String ftpUser() { return ftpUser; }
    public UnitState state() { return state; }
    public String suspendedFor() { return suspendedFor; }
    public long uidBase() { return uidBase; }
}
