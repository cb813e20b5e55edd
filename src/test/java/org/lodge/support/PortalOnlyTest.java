package org.lodge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The portal role alone on a fresh embedded PostgreSQL: what the web tier does without any
 * worker (it must only write intents). One cached context for all such tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "lodge.roles=portal")
@ActiveProfiles("test")
public @interface PortalOnlyTest {
}
