package org.lodge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** restic on the tests' repository (application-test.yml), as an operator would run it; exit 0 expected. */
public final class TestRestic {

    private TestRestic() {
    }

    public static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/restic", "--repo",
                "/var/lib/lodge/test-backups/restic", "--password-file", "/var/lib/lodge/test-backups/restic.password",
                "--cache-dir", "/var/lib/lodge/test-backups/cache"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
