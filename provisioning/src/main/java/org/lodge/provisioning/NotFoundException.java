package org.lodge.provisioning;

/** Thrown when a unit or job does not exist, or exists for another tenant: both look the same. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
