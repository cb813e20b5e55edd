package org.lodge.provisioning.libvirt;

/** A failure worth retrying with backoff (the daemon went away, a connection dropped). */
public class TransientStepException extends RuntimeException {

    public TransientStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
