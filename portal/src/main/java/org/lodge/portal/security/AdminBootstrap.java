package org.lodge.portal.security;

import java.security.SecureRandom;
import java.util.Base64;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantService;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator once, with the password from {@code LODGE_ADMIN_PASSWORD} or
 * a generated one printed a single time on the console.
 */
// In the portal role only: under ./lodge run's split the worker must not race the portal to create it.
@ConditionalOnExpression("'${lodge.roles:portal,worker}'.contains('portal')")
@Component
public class AdminBootstrap implements ApplicationRunner {

    private final UserRepository users;
    private final TenantService tenants;
    private final String username;
    private final String password;
    private final String port;

    public AdminBootstrap(UserRepository users, TenantService tenants, @Value("${lodge.admin.username}") String username,
                          @Value("${lodge.admin.password:}") String password,
                          @Value("${local.server.port:${server.port:8080}}") String port) {
        this.users = users;
        this.tenants = tenants;
        this.username = username;
        this.password = password;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.existsByRole(Role.STAFF)) {
            return;
        }
        boolean generated = password == null || password.isBlank();
        String chosen = generated ? generate() : password;
        tenants.createUser(username, chosen, Role.STAFF, null);
        System.out.println("""

                ==============================================================
                 Lodge is ready: http://localhost:%s/
                 First administrator: %s / %s
                 (%s)
                ==============================================================
                """.formatted(port, username, generated ? chosen : "(from LODGE_ADMIN_PASSWORD)",
                generated ? "generated once: write it down, it is stored only as a hash" : "set from the environment"));
    }

    private static String generate() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
