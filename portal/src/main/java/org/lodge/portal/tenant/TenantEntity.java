package org.lodge.portal.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A customer company. */
@Entity
@Table(name = "tenant")
public class TenantEntity {

    @Id
    private UUID id;
    private String name;
    @Column(name = "created_at")
    private Instant createdAt;
    /** Where the tenant's unit alerts are e-mailed (null: nowhere). */
    @Column(name = "contact_email")
    private String contactEmail;

    protected TenantEntity() {
    }

    public TenantEntity(String name) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.createdAt = Instant.now();
    }

    public UUID getId() { return id; }
    public String getName() { return name; }
    public Instant getCreatedAt() { return createdAt; }
    public String getContactEmail() { return contactEmail; }
    void setContactEmail(String contactEmail) { this.contactEmail = contactEmail; }
}
