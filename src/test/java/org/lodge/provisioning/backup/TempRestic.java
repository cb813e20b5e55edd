package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A restic repository of a test's own in a temporary folder: its settings, and its snapshots as restic lists them. */
final class TempRestic {

    private TempRestic() {
    }

    static BackupProperties props(Path dir) {
        return new BackupProperties(dir.resolve("repo").toString(), dir.resolve("restic.password").toString(),
                dir.resolve("cache").toString(), dir.resolve("work").toString(), "100%", Duration.ofMinutes(5),
                Duration.ofSeconds(30), 2, Duration.ofHours(1), "0 0 4 ? * SUN", Duration.ofDays(30));
    }

    /** The short ids of the unit's snapshots, read by the restic program itself. */
    static List<String> snapshots(Path dir, UUID unit) throws Exception {
        Process restic = new ProcessBuilder("/usr/bin/restic", "--repo", dir.resolve("repo").toString(), "--password-file",
                dir.resolve("restic.password").toString(), "--cache-dir", dir.resolve("cache").toString(), "snapshots",
                "--json", "--tag", ResticRepository.unitTag(unit)).start();
        byte[] out = restic.getInputStream().readAllBytes();
        assertThat(restic.waitFor()).isZero();
        List<String> ids = new ArrayList<>();
        new ObjectMapper().readTree(out).forEach(s -> ids.add(s.path("short_id").asText()));
        return ids;
    }
}
