package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.host.HostCommands;

/**
 * What Lodge passes to {@code restic backup} reaches restic (real restic, a repository in a temp
 * directory, no Spring): the same compressible tree stored with {@code compression: off} takes
 * several times the raw data of restic's default ({@code auto}).
 */
class ResticOptionsTest {

    @TempDir
    Path dir;

    @Test
    void compressionOffStoresTheTreeUncompressed() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("log.txt"), "GET /index.php 200 lodge backup\n".repeat(32768));
        long auto = rawData(ResticOptions.DEFAULTS, tree, "auto");
        long off = rawData(new ResticOptions("off", 8), tree, "off");
        assertThat(off).as("1 MiB of repeated text: off %d bytes, auto %d bytes", off, auto).isGreaterThan(5 * auto);
    }

    private long rawData(ResticOptions options, Path tree, String name) throws Exception {
        BackupProperties props = new BackupProperties(dir.resolve("repo-" + name).toString(),
                dir.resolve("keys/restic.password").toString(), dir.resolve("cache").toString(),
                dir.resolve("work").toString(), "100%", Duration.ofMinutes(2), Duration.ofSeconds(30), 2,
                Duration.ofHours(1), "0 0 4 ? * SUN", Duration.ofDays(30));
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper(), options);
        ResticRepository.Summary summary = restic.backup(tree, "test", List.of("lodge-unit=options"));
        return restic.rawDataSize(List.of(summary.snapshotId()));
    }
}
