package org.lodge.portal.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the commands find the portal and who logs in (a picocli mixin). The password comes from
 * {@code LODGE_PASSWORD} or, with {@code --password-stdin}, from the first line of standard
 * input; never from an argument, which any local user could read in {@code ps} or
 * {@code /proc/PID/cmdline}, and which stays in shell histories.
 */
class PortalLogin {

    @Option(names = "--url", defaultValue = "${env:LODGE_URL:-http://localhost:8080}", description = "Portal URL")
    URI url;
    @Option(names = "--user", defaultValue = "${env:LODGE_USER:-admin}", description = "Staff username")
    String user;
    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (otherwise from LODGE_PASSWORD)")
    boolean passwordFromStdin;

    /**
     * A client logged in as the user, or empty (after saying why on {@code err}) without a password.
     * An API token in {@code LODGE_TOKEN} (made on the portal's account page) is sent as a Bearer
     * token instead of the password, unless {@code --password-stdin} asks for the password.
     */
    Optional<PortalClient> client(Map<String, String> env, InputStream in, PrintStream err) throws IOException {
        String token = env.get("LODGE_TOKEN");
        if (!passwordFromStdin && token != null && !token.isBlank()) {
            return Optional.of(new PortalClient(url, "the token in LODGE_TOKEN", "Bearer " + token.strip()));
        }
        String password = passwordFromStdin
                ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine()
                : env.get("LODGE_PASSWORD");
        if (password == null || password.isEmpty()) {
            err.println("no password: set LODGE_PASSWORD (or an API token in LODGE_TOKEN) or pipe it in with --password-stdin");
            return Optional.empty();
        }
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Optional.of(new PortalClient(url, user, "Basic " + basic));
    }
}
