package org.lodge.provisioning;

/**
 * A logged-in caller as provisioning sees it: the widest tenant scope they may ever use. The
 * portal's users implement it, so {@link TenantBackstop} can check a request's scope against the
 * caller without provisioning knowing the portal.
 */
public interface ScopedCaller {

    TenantScope scope();
}
