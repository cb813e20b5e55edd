package org.lodge.provisioning;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.security.access.prepost.PreAuthorize;

/**
 * Staff work (creating, growing, resizing, cloning, exporting, snapshots, the nodes' view): the
 * caller's role is checked here, in the service, with Spring Security's method security, so a
 * URL rule forgotten in the portal's {@code SecurityConfig} cannot open it to customers.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@PreAuthorize("hasRole('STAFF')")
public @interface StaffOnly {
}
