package org.lodge.portal.tenant;

/** Staff run the ISP; customers belong to one tenant and see only its data. */
public enum Role {
    STAFF, CUSTOMER
}
