package org.lodge.portal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A command that works through the portal's API: it logs in ({@link PortalLogin}), then runs with
 * a client. Exit 2 when the input is refused (no password included), 3 for unexpected errors.
 */
abstract class PortalCommand implements Callable<Integer> {

    static final int REFUSED = 2;
    static final int FAILED = 3;

    @Mixin
    PortalLogin login;

    private final Map<String, String> env;
    private final InputStream in;
    protected final PrintStream out;
    protected final PrintStream err;

    PortalCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} into this command and runs it; the exit code. */
    int execute(String[] args) {
        return new CommandLine(this)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println("error: " + e.getMessage());
                    return FAILED;
                })
                .execute(args);
    }

    @Override
    public final Integer call() throws IOException, InterruptedException {
        Optional<PortalClient> client = login.client(env, in, err);
        return client.isEmpty() ? REFUSED : run(client.get());
    }

    abstract int run(PortalClient client) throws IOException, InterruptedException;
}
