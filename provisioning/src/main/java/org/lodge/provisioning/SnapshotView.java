package org.lodge.provisioning;

import java.time.Instant;

/** A VM snapshot as its node's worker last listed it from libvirt. */
public record SnapshotView(String name, Instant createdAt, String vmState) {
}
