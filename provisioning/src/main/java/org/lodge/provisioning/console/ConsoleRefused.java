package org.lodge.provisioning.console;

/** Why the gateway will not open a console, in words the user may read (no paths, no tokens). */
class ConsoleRefused extends Exception {

    ConsoleRefused(String reason) {
        super(reason);
    }
}
