package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap of a single file restore on a real filesystem (no jail): restored versions take the
 * chosen paths' places by renames, missing folders are made, and the undo brings back exactly the
 * tree that was there, the folders it made gone; a link on the way is refused.
 */
class RestoreJailFilesSwapTest {

    @TempDir
    Path live;
    @TempDir
    Path scratch;

    @Test
    void swapsTheChosenPathsInAndTheUndoPutsTheTreeBackAsItWas() throws IOException {
        Path site = Files.createDirectories(live.resolve("var/www/d"));
        write(site, "keep.html", "keep v2");
        write(site, "blog/a.txt", "a v2");
        write(site, "blog/new.txt", "new since");
        Path restored = Files.createDirectories(scratch.resolve("var/www/d"));
        write(restored, "gone.html", "gone v1");
        write(restored, "blog/a.txt", "a v1");
        write(restored, "blog/b.txt", "b v1");
        write(restored, "deep/er/x.txt", "x v1");
        Map<String, String> before = tree(live);

        List<String> paths = List.of("gone.html", "blog", "deep/er/x.txt");
        Path aside = RestoreJailFiles.aside(live, java.util.UUID.randomUUID());
        for (int i = 0; i < paths.size(); i++) {
            Path item = Files.createDirectories(aside.resolve(String.valueOf(i)));
            RestoreSite.copyShifted(restored.resolve(paths.get(i)), item.resolve("new"), 0, 0);
            RestoreJailFiles.swap(item, site.resolve(paths.get(i)), restored.resolve(paths.get(i)), live, 0, 0);
            // Again, as a revived job would: nothing changes.
            RestoreJailFiles.swap(item, site.resolve(paths.get(i)), restored.resolve(paths.get(i)), live, 0, 0);
        }
        assertThat(tree(site)).containsExactlyEntriesOf(new TreeMap<>(Map.of("keep.html", "keep v2",
                "gone.html", "gone v1", "blog", "/", "blog/a.txt", "a v1", "blog/b.txt", "b v1", "deep", "/", "deep/er", "/",
                "deep/er/x.txt", "x v1")));

        for (int i = paths.size() - 1; i >= 0; i--) {
            RestoreJailFiles.putBack(aside.resolve(String.valueOf(i)), site.resolve(paths.get(i)));
        }
        RestoreJailFiles.remove(aside);
        Files.delete(live.resolve(RestoreJailFiles.ASIDE));
        assertThat(tree(live)).containsExactlyEntriesOf(before);
        assertThat(site.resolve("deep")).doesNotExist();
    }

    @Test
    void refusesToRestoreThroughALinkTheCustomerMade() throws IOException {
        Path site = Files.createDirectories(live.resolve("var/www/d"));
        Path elsewhere = Files.createDirectories(scratch.resolve("elsewhere"));
        Files.createSymbolicLink(site.resolve("evil"), elsewhere);
        Path restored = Files.createDirectories(scratch.resolve("var/www/d"));
        write(restored, "evil/f.txt", "f");
        Path item = Files.createDirectories(RestoreJailFiles.aside(live, java.util.UUID.randomUUID()).resolve("0"));
        RestoreSite.copyShifted(restored.resolve("evil/f.txt"), item.resolve("new"), 0, 0);
        assertThatThrownBy(() -> RestoreJailFiles.swap(item, site.resolve("evil/f.txt"), restored.resolve("evil/f.txt"),
                live, 0, 0)).hasMessageContaining("symbolic link");
        assertThat(elsewhere.resolve("f.txt")).doesNotExist();
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Every file and folder under {@code root}, with the content of the files. */
    private static TreeMap<String, String> tree(Path root) throws IOException {
        TreeMap<String, String> found = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                found.put(root.relativize(path).toString(), Files.isDirectory(path) ? "/" : Files.readString(path));
            }
        }
        return found;
    }
}
