package org.lodge.provisioning;

import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.Before;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * A backstop for tenant scoping: every query of tenant data takes a {@link TenantScope} from the
 * caller, and a bug that hands a customer's request a wider or another tenant's scope (say
 * {@code TenantScope.all()}) would show them other tenants' units. Before any public method of
 * the services runs, each scope argument must be the logged-in customer's own; anything else is
 * refused and logged as a bug. Staff, and calls with no logged-in user (the worker), pass.
 */
@Aspect
@Component
class TenantBackstop {

    private static final Logger log = LoggerFactory.getLogger(TenantBackstop.class);

    @Before("execution(public * org.lodge.provisioning.*Service.*(..))")
    void scopeIsTheCallersOwn(JoinPoint call) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof ScopedCaller caller) || caller.scope().tenantId().isEmpty()) {
            return;
        }
        for (Object arg : call.getArgs()) {
            if (arg instanceof TenantScope scope && !scope.equals(caller.scope())) {
                log.error("tenant scoping bug: {} called {} with {} instead of their own {}", auth.getName(),
                        call.getSignature().toShortString(), scope, caller.scope());
                throw new AccessDeniedException("the request's tenant scope is not the caller's");
            }
        }
    }
}
