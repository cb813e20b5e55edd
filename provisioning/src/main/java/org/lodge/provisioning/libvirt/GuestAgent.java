package org.lodge.provisioning.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.time.Duration;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.virError;
import org.springframework.stereotype.Component;

/**
 * A running VM's filesystems frozen and thawed through QEMU's guest agent with libvirt's own API,
 * {@code virDomainFSFreeze} / {@code virDomainFSThaw} (libvirt-java 0.5.4 has no binding for them):
 * a small JNA interface on libvirt, on a domain pointer of our own (looked up by UUID on the
 * connection's pointer, freed after). libvirt's agent timeout for the domain is set first, so a
 * guest whose agent does not answer costs at most that long, never a hang.
 */
@Component
public class GuestAgent {

    /** The few libvirt calls libvirt-java lacks; the library libvirt-java itself loads. */
    interface Virt extends Library {
        DomainPointer virDomainLookupByUUIDString(ConnectionPointer conn, String uuid);

        int virDomainFree(DomainPointer domain);

        int virDomainAgentSetResponseTimeout(DomainPointer domain, int seconds, int flags);

        int virDomainFSFreeze(DomainPointer domain, String[] mountpoints, int count, int flags);

        int virDomainFSThaw(DomainPointer domain, String[] mountpoints, int count, int flags);
    }

    private volatile Virt virt;

    /**
     * Freezes every filesystem of the guest (the agent syncs them first: data still in the guest's
     * page cache reach the disk). Never throws for a missing or silent agent: the result says why
     * nothing is frozen. Close it to thaw (always tried after an attempt: a freeze that timed out on
     * our side may still have happened in the guest).
     */
    public Freeze freeze(Connect connect, Domain domain, Duration timeout) {
        long started = System.nanoTime();
        if (!(connect instanceof NativeConnect nativeConnect)) {
            return new Freeze(null, null, 0, "no native libvirt connection", started);
        }
        Virt lib = virt();
        DomainPointer pointer;
        try {
            pointer = lib.virDomainLookupByUUIDString(nativeConnect.pointer(), domain.getUUIDString());
        } catch (LibvirtException e) {
            return new Freeze(null, null, 0, e.getMessage(), started);
        }
        if (pointer == null || pointer.getPointer() == null) {
            return new Freeze(null, null, 0, lastError(), started);
        }
        int seconds = (int) Math.max(1, timeout.toSeconds());
        if (lib.virDomainAgentSetResponseTimeout(pointer, seconds, 0) < 0) {
            String reason = lastError();
            lib.virDomainFree(pointer);
            return new Freeze(null, null, 0, reason, System.nanoTime());
        }
        int frozen = lib.virDomainFSFreeze(pointer, null, 0, 0);
        return new Freeze(lib, pointer, frozen, frozen < 0 ? lastError() : null, started);
    }

    private Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    /** libvirt's last error of this thread (it is thread-local), as its message. */
    private static String lastError() {
        virError error = org.libvirt.jna.Libvirt.INSTANCE.virGetLastError();
        return error == null ? "unknown libvirt error" : new org.libvirt.Error(error).getMessage();
    }

    /** A freeze attempt; {@link #close()} thaws. */
    public static final class Freeze implements AutoCloseable {
        private final Virt lib;
        private DomainPointer pointer;
        private final int filesystems;
        private final String failure;
        private final long started;
        private long frozenMs = -1;
        private String thawFailure;

        private Freeze(Virt lib, DomainPointer pointer, int filesystems, String failure, long started) {
            this.lib = lib;
            this.pointer = pointer;
            this.filesystems = filesystems;
            this.failure = failure;
            this.started = started;
        }

        /** True when the agent froze the guest's filesystems. */
        public boolean frozen() {
            return failure == null;
        }

        /** How many filesystems the agent froze. */
        public int filesystems() {
            return filesystems;
        }

        /** Why nothing was frozen (libvirt's message), null when frozen. */
        public String failure() {
            return failure;
        }

        /** From the freeze call to the thaw's answer; -1 before the thaw. */
        public long frozenMs() {
            return frozenMs;
        }

        /** The thaw's error, null when it thawed (or nothing was to thaw). */
        public String thawFailure() {
            return thawFailure;
        }

        @Override
        public void close() {
            if (pointer == null || pointer.getPointer() == null) {
                return;
            }
            try {
                // A frozen guest left so blocks every write: one more try before giving up.
                if (lib.virDomainFSThaw(pointer, null, 0, 0) < 0 && frozen()
                        && lib.virDomainFSThaw(pointer, null, 0, 0) < 0) {
                    thawFailure = lastError();
                }
                frozenMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            } finally {
                lib.virDomainFree(pointer);
                pointer = null;
            }
        }
    }
}
