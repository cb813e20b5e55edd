package org.lodge.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * docker/compose.yaml run under its own project name with Debian's engine and docker-compose (the
 * ones provisioning/host/setup-docker.sh installs); {@link #close} removes its containers, network
 * and volume, and keeps the images so the next build reuses their layers (only the superseded
 * ones, untagged and labelled by docker/, are removed).
 */
final class ComposeStack implements AutoCloseable {

    private static final Path COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final Path DOCKER = Path.of("/usr/bin/docker");

    private final String project;
    private final Path file;
    private final Map<String, String> environment;

    ComposeStack(String project, Path file, Map<String, String> environment) {
        this.project = project;
        this.file = file;
        this.environment = environment;
    }

    /** Builds the images (layers cached) and starts the stack; removes what a crashed run left first. */
    ComposeStack up() {
        if (!COMPOSE.toFile().canExecute()) {
            throw new IllegalStateException("docker.io and docker-compose are missing: run provisioning/host/setup-host.sh");
        }
        close();
        compose(900, "up", "-d", "--build");
        return this;
    }

    /** Runs a command in a running service's container and returns its output. */
    String exec(String service, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-T", service));
        args.addAll(List.of(command));
        return compose(60, args.toArray(String[]::new));
    }

    /** The loopback port Docker published a service's port on. */
    int publishedPort(String service, int port) {
        String address = compose(30, "port", service, String.valueOf(port)).strip();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    String logs() {
        return compose(60, "logs", "--no-color", "--tail", "150");
    }

    @Override
    public void close() {
        compose(180, "down", "--volumes", "--remove-orphans", "--timeout", "20");
        run(60, DOCKER.toString(), "image", "prune", "--force", "--filter", "label=org.lodge.image");
    }

    private String compose(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of(COMPOSE.toString(), "--ansi", "never", "-p", project, "-f", file.toString()));
        command.addAll(List.of(args));
        return run(timeoutSeconds, command.toArray(String[]::new));
    }

    private String run(int timeoutSeconds, String... command) {
        try {
            Path output = Files.createTempFile("lodge-compose", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out:\n"
                            + Files.readString(output));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                            + Files.readString(output));
                }
                return Files.readString(output);
            } finally {
                Files.delete(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
