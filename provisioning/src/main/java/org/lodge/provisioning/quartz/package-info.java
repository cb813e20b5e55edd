/**
 * How every module puts its recurring jobs on Quartz's clustered JDBC store ({@link ClusteredJob}):
 * a named interface, so billing uses it as portal uses {@code secret}, without reaching into
 * provisioning's internals.
 */
@NamedInterface("quartz")
package org.lodge.provisioning.quartz;

import org.springframework.modulith.NamedInterface;
