package org.lodge.portal.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lodge.support.TestData;

/** Runs a command-line command against the test's portal as a user, keeping what it says on out and err. */
final class CliRun {

    /** A command's static entry point, as LodgeApplication calls it. */
    interface Command {
        int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err);
    }

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** {@code args} plus the portal's URL and the user (password TestData.PASSWORD from the environment). */
    int run(Command command, int port, String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://localhost:" + port, "--user", user));
        return command.run(all.toArray(String[]::new), Map.of("LODGE_PASSWORD", TestData.PASSWORD),
                InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String said() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }
}
