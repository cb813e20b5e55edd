package org.lodge.provisioning;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/** Beans that touch libvirt or the host exist only in a process that plays the worker role. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnExpression("'${lodge.roles:portal,worker}'.contains('worker')")
public @interface WorkerRole {
}
