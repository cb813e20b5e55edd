package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.BackupFolderView;

/** The file index's folders built from restic's listing, and the breadcrumb trail of a folder. */
class BackupFileIndexTest {

    private static final String ROOT = "/var/www/example.com";
    private static final Instant AT = Instant.parse("2026-11-20T10:15:30.123456789Z");

    @Test
    void groupsResticsListingIntoFoldersOfDirectChildren() {
        Map<String, List<BackupFileIndex.Child>> folders = BackupFileIndex.folders(ROOT, List.of(
                new ResticRepository.Entry(ROOT, "dir", 0, AT),
                new ResticRepository.Entry(ROOT + "/index.html", "file", 12, AT),
                new ResticRepository.Entry(ROOT + "/img", "dir", 4096, AT),
                new ResticRepository.Entry(ROOT + "/img/empty", "dir", 0, AT),
                new ResticRepository.Entry(ROOT + "/img/logo.png", "file", 2048, null),
                new ResticRepository.Entry(ROOT + "/img/current", "symlink", 0, AT),
                new ResticRepository.Entry("/var/www/example.com.old/x", "file", 1, AT),
                new ResticRepository.Entry("/etc/passwd", "file", 9, AT)));

        assertThat(folders).containsOnlyKeys("", "img", "img/empty");
        assertThat(folders.get("")).containsExactlyInAnyOrder(
                new BackupFileIndex.Child("index.html", "file", 12, AT.getEpochSecond()),
                new BackupFileIndex.Child("img", "dir", 0, AT.getEpochSecond()));
        assertThat(folders.get("img")).extracting(BackupFileIndex.Child::name)
                .containsExactlyInAnyOrder("empty", "logo.png", "current");
        assertThat(folders.get("img")).filteredOn(c -> c.name().equals("logo.png")).singleElement()
                .satisfies(c -> assertThat(c.mtime()).isNull());
        assertThat(folders.get("img/empty")).isEmpty();
    }

    @Test
    void aFolderKnowsTheWayDownFromTheWebRoot() {
        assertThat(new BackupFolderView(".", null, List.of()).trail())
                .containsExactly(new BackupFolderView.Crumb(".", "."));
        assertThat(new BackupFolderView("a/b c/d", "a/b c", List.of()).trail()).containsExactly(
                new BackupFolderView.Crumb(".", "."), new BackupFolderView.Crumb("a", "a"),
                new BackupFolderView.Crumb("a/b c", "b c"), new BackupFolderView.Crumb("a/b c/d", "d"));
    }
}
