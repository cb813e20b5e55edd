package org.lodge.portal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    /**
     * The portal's own words for an answer that is not the one hoped for (a ProblemDetail's
     * detail, else the status); exit 2 for a refusal of the input (4xx), 3 for anything else.
     */
    int refused(PortalClient client, HttpResponse<String> response) throws IOException {
        String detail = response.body() == null || response.body().isBlank() ? ""
                : client.read(response.body()).path("detail").asText("");
        boolean refusal = response.statusCode() >= 400 && response.statusCode() < 500;
        err.println("the portal answered " + response.statusCode() + (detail.isEmpty() ? "" : (refusal ? ", refused: " : ": ")
                + detail));
        return refusal ? REFUSED : FAILED;
    }

    /** A queued job's log followed to its end; its state (OK or KO), or empty after {@code timeout} (said on err). */
    Optional<String> followJob(PortalClient client, String jobId, Duration timeout) throws IOException, InterruptedException {
        out.println("job " + jobId + " queued");
        Optional<String> state = client.follow(jobId, timeout, out);
        if (state.isEmpty()) {
            err.println("gave up waiting after " + timeout + "; the job goes on: " + client.page("/jobs/" + jobId));
        }
        return state;
    }
}
