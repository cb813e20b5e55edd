package org.lodge.portal.security;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * Ends a user's web sessions (from Spring Security's {@link SessionRegistry}): after a password
 * change all but the one that made it, after a disable all. An ended session is refused on its
 * next request ({@code ConcurrentSessionFilter}) and sent to the login page.
 */
@Component
public class UserSessions {

    public static final String SESSIONS_ENDED = "SESSIONS_ENDED";

    private final SessionRegistry registry;
    private final AuditLog audit;

    public UserSessions(SessionRegistry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    /** Expires every session of {@code username} but {@code keepSessionId} (null: all); answers how many. */
    public int end(String username, String keepSessionId, String why, String remote) {
        int ended = 0;
        for (Object principal : registry.getAllPrincipals()) {
            if (principal instanceof UserDetails user && user.getUsername().equals(username)) {
                for (SessionInformation session : registry.getAllSessions(principal, false)) {
                    if (!session.getSessionId().equals(keepSessionId)) {
                        session.expireNow();
                        ended++;
                    }
                }
            }
        }
        if (ended > 0) {
            audit.account(username, SESSIONS_ENDED, ended + " other session(s) ended: " + why, remote);
        }
        return ended;
    }
}
