package org.lodge.support;

import java.util.function.Supplier;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Runs a call on the current thread as a staff member, for tests that call staff-only services
 * directly (the services check the caller's role themselves, see {@code StaffOnly}).
 */
public final class AsStaff {

    private AsStaff() {
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    public static <T> T call(Supplier<T> work) {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext staff = SecurityContextHolder.createEmptyContext();
        staff.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("test-staff", null,
                AuthorityUtils.createAuthorityList("ROLE_STAFF")));
        SecurityContextHolder.setContext(staff);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}
