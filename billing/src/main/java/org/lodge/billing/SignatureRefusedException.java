package org.lodge.billing;

/** A payment notification whose HMAC signature is missing or does not match: refused, nothing changed. */
public class SignatureRefusedException extends RuntimeException {

    public SignatureRefusedException(String message) {
        super(message);
    }
}
