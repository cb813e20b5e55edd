package org.lodge.provisioning.node;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.lodge.provisioning.NodeView;
import org.lodge.provisioning.UnitKind;

/**
 * A row of the template catalogue: a jail or VM template a node offers, as its worker found it
 * on disk, and what staff decided of it (enabled, the default of its kind on the node).
 */
@Entity
@Table(name = "unit_template")
public class TemplateEntity {

    @Embeddable
    public record Key(@Column(name = "node_name") String nodeName, String name) implements Serializable {
    }

    @EmbeddedId
    private Key key;
    @Enumerated(EnumType.STRING)
    private UnitKind kind;
    private String os;
    private String version;
    @Column(name = "content_hash")
    private String contentHash;
    @Column(name = "min_disk_bytes")
    private long minDiskBytes;
    @Column(name = "min_memory_mib")
    private int minMemoryMib;
    private String customisation;
    private boolean enabled;
    @Column(name = "is_default")
    private boolean isDefault;

    protected TemplateEntity() {
    }

    /** A template the node's worker has just found: enabled, not (yet) the default. */
    public TemplateEntity(String nodeName, UnitKind kind, Found found) {
        this.key = new Key(nodeName, found.name());
        this.kind = kind;
        this.enabled = true;
        report(found);
    }

    /** What the worker finds of a template on disk. */
    public record Found(String name, String os, String version, String contentHash, long minDiskBytes,
                        int minMemoryMib, String customisation) {
    }

    /** The worker's findings replace the last ones; staff's decisions stay. */
    public void report(Found found) {
        this.os = found.os();
        this.version = found.version();
        this.contentHash = found.contentHash();
        this.minDiskBytes = found.minDiskBytes();
        this.minMemoryMib = found.minMemoryMib();
        this.customisation = found.customisation();
    }

    public void enable(boolean enabled) {
        this.enabled = enabled;
    }

    public void makeDefault(boolean isDefault) {
        this.isDefault = isDefault;
    }

    public String nodeName() { return key.nodeName(); }
    public String name() { return key.name(); }
    public UnitKind kind() { return kind; }
    public String version() { return version; }
    public long minDiskBytes() { return minDiskBytes; }
    public int minMemoryMib() { return minMemoryMib; }
    public boolean enabled() { return enabled; }
    public boolean isDefault() { return isDefault; }

    public NodeView.Template view() {
        return new NodeView.Template(key.name(), kind, os, version, contentHash, minDiskBytes, minMemoryMib,
                customisation, enabled, isDefault);
    }
}
