package org.lodge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * Portal and worker in one process, on a real HTTP port, driving real libvirt LXC jails on a
 * network the test context creates ({@code lodgetest0}, see application-test.yml) and removes.
 * One cached context shared by every live test class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal,worker")
@ActiveProfiles("test")
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
@Import(FailureInjection.class)
public @interface LiveNodeTest {
}
