package org.lodge.provisioning;

/**
 * A set of coded words (an enum: {@code JobWords}, {@code BackupReason}): each has its message code
 * and English MessageFormat pattern, which its English bundle repeats (MessageBundlesTest checks).
 */
public interface Worded {

    String code();

    String english();

    default Phrase with(Object... args) {
        return Phrase.of(code(), english(), args);
    }
}
