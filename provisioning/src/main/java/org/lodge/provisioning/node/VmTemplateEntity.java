package org.lodge.provisioning.node;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.lodge.provisioning.NodeView;

/** A VM template a node offers, as its worker found it on disk. */
@Entity
@Table(name = "vm_template")
public class VmTemplateEntity {

    @Embeddable
    public record Key(@Column(name = "node_name") String nodeName, String name) implements Serializable {
    }

    @EmbeddedId
    private Key key;
    private String os;
    @Column(name = "min_disk_bytes")
    private long minDiskBytes;
    @Column(name = "min_memory_mib")
    private int minMemoryMib;
    private String customisation;

    protected VmTemplateEntity() {
    }

    public VmTemplateEntity(String nodeName, String name, String os, long minDiskBytes, int minMemoryMib,
                            String customisation) {
        this.key = new Key(nodeName, name);
        this.os = os;
        this.minDiskBytes = minDiskBytes;
        this.minMemoryMib = minMemoryMib;
        this.customisation = customisation;
    }

    public String name() { return key.name(); }
    public long minDiskBytes() { return minDiskBytes; }
    public int minMemoryMib() { return minMemoryMib; }

    public NodeView.Template view() {
        return new NodeView.Template(key.name(), os, minDiskBytes, minMemoryMib, customisation);
    }
}
