package org.lodge;

import java.nio.file.Path;

/**
 * The embedded database alone in a JVM of its own, for {@link RestartAfterKillTest} to kill:
 * starts it on the given data directory and password file, prints {@code READY <port>}, waits.
 */
public final class EmbeddedDatabaseChild {

    private EmbeddedDatabaseChild() {
    }

    public static void main(String[] args) throws Exception {
        SecuredPostgres postgres = SecuredPostgres.start(Path.of(args[0]), 0, Path.of(args[1]));
        System.out.println("READY " + postgres.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
