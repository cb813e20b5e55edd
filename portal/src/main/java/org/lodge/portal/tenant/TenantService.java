package org.lodge.portal.tenant;

import static org.lodge.provisioning.InvalidInputException.quote;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.validator.routines.EmailValidator;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants (customer companies) and the people who log in for them. */
@Service
public class TenantService {

    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{2,63}");
    /** Shortest password anyone may choose (ASVS V2.1.1). */
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 128;

    private final TenantRepository tenants;
    private final UserRepository users;
    private final PasswordEncoder encoder;

    public TenantService(TenantRepository tenants, UserRepository users, PasswordEncoder encoder) {
        this.tenants = tenants;
        this.users = users;
        this.encoder = encoder;
    }

    @Transactional
    public TenantEntity createTenant(String rawName) {
        String name = rawName == null ? "" : rawName.strip();
        if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.of("name", "a tenant name has 1 to 100 printable characters",
                    "tenant.name.length");
        }
        if (tenants.existsByNameIgnoreCase(name)) {
            throw InvalidRequestException.of("name", "a tenant named " + quote(name) + " already exists",
                    "tenant.name.taken", quote(name));
        }
        return tenants.save(new TenantEntity(name));
    }

    @Transactional
    public UserEntity createUser(String username, String password, Role role, UUID tenantId) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw InvalidRequestException.of("username",
                    "a username has 3 to 64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter",
                    "username.format");
        }
        if (users.existsByUsername(username)) {
            throw InvalidRequestException.of("username", "the username " + quote(username) + " is taken", "username.taken",
                    quote(username));
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw passwordLength("password");
        }
        if (role != Role.STAFF && (tenantId == null || !tenants.existsById(tenantId))) {
            throw InvalidRequestException.of("tenant", "a customer or tenant administrator belongs to an existing tenant",
                    "tenant.required");
        }
        return users.save(new UserEntity(username, encoder.encode(password), role,
                role == Role.STAFF ? null : tenantId));
    }

    /** The one refusal of a password's length, for new users and changed passwords alike. */
    public static InvalidRequestException passwordLength(String field) {
        return InvalidRequestException.of(field, "a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters",
                "password.length", MIN_PASSWORD, MAX_PASSWORD);
    }

    public List<TenantEntity> tenants() {
        return tenants.findAllByOrderByName();
    }

    public TenantEntity tenant(UUID id) {
        return tenants.findById(id).orElseThrow(() -> NotFoundException.of("tenant", id));
    }

    public Map<UUID, String> tenantNames() {
        return tenants.findAll().stream().collect(Collectors.toMap(TenantEntity::getId, TenantEntity::getName));
    }

    /** The names of these tenants only (one page of a list), by id. */
    public Map<UUID, String> namesOf(java.util.Collection<UUID> ids) {
        List<UUID> wanted = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        return (wanted.isEmpty() ? List.<TenantEntity>of() : tenants.findByIds(wanted.toArray(UUID[]::new))).stream()
                .collect(Collectors.toMap(TenantEntity::getId, TenantEntity::getName));
    }

    /** Tenants whose name contains {@code part} (a search), at most 100. */
    public List<UUID> idsNamed(String part) {
        String escaped = part.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return tenants.idsNamedLike("%" + escaped + "%");
    }

    public List<UserEntity> usersOf(UUID tenantId) {
        return users.findByTenantIdOrderByUsername(tenantId);
    }

    /** Finds a tenant by id or by name, for the API and the command-line client. */
    public TenantEntity resolve(String idOrName) {
        try {
            return tenant(UUID.fromString(idOrName));
        } catch (IllegalArgumentException notAnId) {
            return tenants.findAll().stream().filter(t -> t.getName().equalsIgnoreCase(idOrName)).findFirst()
                    .orElseThrow(() -> InvalidRequestException.of("tenant", "no tenant named " + quote(idOrName),
                            "tenant.unknown", quote(idOrName)));
        }
    }

    /** Sets where the tenant's unit alerts go; blank removes the address. */
    @Transactional
    public TenantEntity setContactEmail(UUID tenantId, String rawEmail) {
        String email = rawEmail == null ? "" : rawEmail.strip();
        if (!email.isEmpty() && (email.length() > 254 || !EmailValidator.getInstance().isValid(email))) {
            throw InvalidRequestException.of("contactEmail", quote(email) + " is not an e-mail address", "email.invalid",
                    quote(email));
        }
        TenantEntity tenant = tenant(tenantId);
        tenant.setContactEmail(email.isEmpty() ? null : email);
        return tenant;
    }
}
