package org.lodge.provisioning.libvirt;

import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Classifies libvirt errors: which ones mean "not there" and which are worth a retry. */
public final class LibvirtErrors {

    private static final Set<ErrorNumber> TRANSIENT = Set.of(
            ErrorNumber.VIR_ERR_NO_CONNECT, ErrorNumber.VIR_ERR_SYSTEM_ERROR,
            ErrorNumber.VIR_ERR_RPC, ErrorNumber.VIR_ERR_OPERATION_TIMEOUT,
            ErrorNumber.VIR_ERR_AUTH_UNAVAILABLE);

    private static final Set<ErrorNumber> MISSING = Set.of(
            ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorNumber.VIR_ERR_NO_STORAGE_VOL,
            ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorNumber.VIR_ERR_NO_NETWORK);

    private LibvirtErrors() {
    }

    public static boolean isMissing(LibvirtException e) {
        return e.getError() != null && MISSING.contains(e.getError().getCode());
    }

    /** Rethrows as {@link TransientStepException} when a retry may help, as is otherwise. */
    public static RuntimeException classify(String what, LibvirtException e) {
        boolean busyPool = e.getMessage() != null && e.getMessage().contains("asynchronous jobs running");
        if (busyPool || e.getError() != null && TRANSIENT.contains(e.getError().getCode())) {
            return new TransientStepException(what + ": " + e.getMessage(), e);
        }
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }
}
