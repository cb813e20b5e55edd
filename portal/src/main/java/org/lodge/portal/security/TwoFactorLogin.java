package org.lodge.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The two steps of a web login. After the password (form login, which has already changed the
 * session id and the CSRF token), a user with TOTP on is held as {@link PasswordVerified} and sent
 * to the code form; the code then completes the login, changing the session id once more.
 */
@Component
public class TwoFactorLogin implements AuthenticationSuccessHandler {

    public static final String CODE_PAGE = "/login/code";

    private final TwoFactor twoFactor;
    private final AuditLog audit;
    private final LoginThrottle throttle;
    private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
    private final SavedRequestAwareAuthenticationSuccessHandler done = new SavedRequestAwareAuthenticationSuccessHandler();

    public TwoFactorLogin(TwoFactor twoFactor, AuditLog audit, LoginThrottle throttle) {
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.throttle = throttle;
        done.setDefaultTargetUrl("/");
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication auth)
            throws IOException, jakarta.servlet.ServletException {
        if (!twoFactor.enabled(auth.getName())) {
            done.onAuthenticationSuccess(request, response, auth);
            return;
        }
        save(new PasswordVerified(auth), request, response);
        response.sendRedirect(request.getContextPath() + CODE_PAGE);
    }

    /** The login halfway through in this session, if any. */
    public java.util.Optional<PasswordVerified> halfway() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof PasswordVerified verified
                ? java.util.Optional.of(verified) : java.util.Optional.empty();
    }

    /**
     * The code of a login halfway through: right, the login completes (new session id) and goes on
     * to the page first asked for; wrong, it counts as a failed login for the throttle. Answers
     * false when the code was wrong (the caller shows the form again).
     */
    public boolean complete(PasswordVerified verified, String code, HttpServletRequest request,
                            HttpServletResponse response) throws IOException, jakarta.servlet.ServletException {
        String remote = request.getRemoteAddr();
        java.util.Optional<String> refusal = throttle.refusal(verified.getName(), remote);
        if (refusal.isPresent()) {
            audit.account(verified.getName(), AuditLog.LOGIN_THROTTLED, refusal.get(), remote);
            throw new TooManyAttempts(refusal.get());
        }
        if (!twoFactor.verify(verified.getName(), code)) {
            audit.account(verified.getName(), AuditLog.SECOND_FACTOR_FAILED, "wrong or reused two-factor code", remote);
            return false;
        }
        request.changeSessionId();
        save(verified.pending(), request, response);
        audit.account(verified.getName(), AuditLog.SECOND_FACTOR_OK, "two-factor code accepted", remote);
        done.onAuthenticationSuccess(request, response, verified.pending());
        return true;
    }

    /** Too many wrong codes from this address lately: the login starts over, later. */
    public static final class TooManyAttempts extends RuntimeException {
        TooManyAttempts(String reason) {
            super(reason);
        }
    }

    /** Gives up a login halfway (too many wrong codes): the session is anonymous again. */
    public void abandon(HttpServletRequest request, HttpServletResponse response) {
        save(null, request, response);
    }

    private void save(Authentication auth, HttpServletRequest request, HttpServletResponse response) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }
}
