package org.lodge.provisioning;

/** Thrown when a unit or job does not exist, or exists for another tenant: both look the same. */
public class NotFoundException extends RuntimeException {

    private final String what;

    public NotFoundException(String what) {
        super(what + " not found");
        this.what = what;
    }

    /** What was looked for ("unit 1f0c…"), for a translated message. */
    public String what() {
        return what;
    }
}
