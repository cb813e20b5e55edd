package org.lodge.portal.security;

import java.util.List;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A login halfway: the password was right, the TOTP code is still to come. Anonymous on purpose,
 * so every page but the code form treats the session as not logged in (the pattern of Spring
 * Security's MFA sample); the full authentication waits inside until the code matches.
 */
public final class PasswordVerified extends AnonymousAuthenticationToken {

    private final transient Authentication pending;

    public PasswordVerified(Authentication pending) {
        super("lodge-second-factor", pending.getName(), List.of(new SimpleGrantedAuthority("SECOND_FACTOR_PENDING")));
        this.pending = pending;
    }

    /** The authentication the code completes. */
    public Authentication pending() {
        return pending;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordVerified verified && super.equals(other) && verified.pending.equals(pending);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
