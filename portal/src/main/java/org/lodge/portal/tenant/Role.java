package org.lodge.portal.tenant;

/**
 * Staff run the ISP; customers belong to one tenant and see only its data; tenant administrators
 * are customers who also manage their own tenant's users.
 */
public enum Role {
    STAFF, CUSTOMER, TENANT_ADMIN
}
