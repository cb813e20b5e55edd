package org.lodge.portal.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Someone who logs in: staff, or a customer of one tenant. The password is only a hash. */
@Entity
@Table(name = "app_user")
public class UserEntity {

    @Id
    private UUID id;
    private String username;
    @Column(name = "password_hash")
    private String passwordHash;
    @Enumerated(EnumType.STRING)
    private Role role;
    @Column(name = "tenant_id")
    private UUID tenantId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "disabled_at")
    private Instant disabledAt;
    @Column(name = "must_change_password")
    private boolean mustChangePassword;
    /** 'en' or 'it'; null: the browser's language. */
    private String language;
    /** An IANA zone id; null: the language's default zone (see UserLocale). */
    @Column(name = "time_zone")
    private String timeZone;
    /** Where this person reads Lodge's mail (optional): mail to it is in their language and zone. */
    private String email;

    protected UserEntity() {
    }

    public UserEntity(String username, String passwordHash, Role role, UUID tenantId) {
        this.id = UUID.randomUUID();
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.tenantId = tenantId;
        this.createdAt = Instant.now();
    }

    /** Replaces the password's hash (the encoder's output, never the password): the owner chose it. */
    public void changePasswordHash(String hash) {
        this.passwordHash = hash;
        this.mustChangePassword = false;
    }

    /** A password someone else chose and showed once: the owner must change it at their next login. */
    public void setOneTimePasswordHash(String hash) {
        this.passwordHash = hash;
        this.mustChangePassword = true;
    }

    public boolean mustChangePassword() { return mustChangePassword; }

    /** Disabled: no login by password or token; null enables again. */
    public void disable(Instant at) {
        this.disabledAt = at;
    }

    public boolean isDisabled() { return disabledAt != null; }
    public Instant getDisabledAt() { return disabledAt; }
    public UUID getId() { return id; }
    public String getUsername() { return username; }
    public String getPasswordHash() { return passwordHash; }
    public Role getRole() { return role; }
    public UUID getTenantId() { return tenantId; }
    public Instant getCreatedAt() { return createdAt; }
    public String getLanguage() { return language; }
    public String getTimeZone() { return timeZone; }
    public String getEmail() { return email; }

    public void setEmail(String email) {
        this.email = email;
    }

    public void choose(String language, String timeZone) {
        this.language = language;
        this.timeZone = timeZone;
    }
}
