package org.lodge.provisioning;

import java.util.Locale;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/** The modern form of {@code jailctl status}, for jails and VMs alike. */
public enum UnitState {
    PROVISIONING, RUNNING, PAUSED, SAVED, STOPPED, NOT_CONFIGURED, DELETING;

    /** The state as a refusal's argument: the message source says it in the reader's language (state.*). */
    public MessageSourceResolvable label() {
        String lower = name().toLowerCase(Locale.ROOT);
        return new DefaultMessageSourceResolvable(new String[] {"state." + lower}, lower);
    }
}
