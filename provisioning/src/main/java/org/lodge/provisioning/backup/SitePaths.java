package org.lodge.provisioning.backup;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.jail.RootFilesystem;

/**
 * The files and folders of a jail's site someone chose to restore or download, checked before any
 * job exists (docs/backups.md, "Single files and folders"). A path is relative to the site's web
 * root ({@code /var/www/<domain>}), or absolute inside it; "." or the web root itself is the whole
 * site. java.nio does the normalising; refused: no path, too many, control characters (NUL
 * included), restic's pattern characters, any {@code ..}, an absolute path outside the site, a
 * path inside another chosen one. The result: normalised paths relative to the web root.
 */
public final class SitePaths {

    static final int MAX_LENGTH = 4096;
    /** restic's --include takes patterns: a name with these would match other files. */
    private static final String PATTERN_CHARACTERS = "*?[]\\";

    private SitePaths() {
    }

    public static List<String> check(List<String> raw, String domain, int maxPaths) {
        List<String> given = raw == null ? List.of()
                : raw.stream().filter(p -> p != null && !p.isBlank()).map(String::strip).toList();
        if (given.isEmpty()) {
            throw refused("choose at least one file or folder of the site", "backupfiles.paths.empty");
        }
        if (given.size() > maxPaths) {
            throw refused(given.size() + " paths chosen; at most " + maxPaths + " at a time",
                    "backupfiles.paths.too-many", given.size(), maxPaths);
        }
        Path root = Path.of(RootFilesystem.docroot(domain));
        List<Path> checked = new ArrayList<>();
        for (String path : given) {
            Path relative = relative(path, root);
            for (Path other : checked) {
                if (relative.startsWith(other) || other.startsWith(relative) || other.toString().isEmpty()
                        || relative.toString().isEmpty()) {
                    throw refused(shown(path) + " is inside another chosen path (or holds it): choose each file or"
                            + " folder once", "backupfiles.paths.overlap", shown(path));
                }
            }
            checked.add(relative);
        }
        return checked.stream().map(p -> p.toString().isEmpty() ? "." : p.toString()).toList();
    }

    private static Path relative(String path, Path root) {
        if (path.length() > MAX_LENGTH) {
            throw refused("a path is longer than " + MAX_LENGTH + " characters", "backupfiles.paths.long", MAX_LENGTH);
        }
        if (path.codePoints().anyMatch(Character::isISOControl)) {
            throw refused(shown(path) + " holds a control character", "backupfiles.paths.control", shown(path));
        }
        if (path.chars().anyMatch(c -> PATTERN_CHARACTERS.indexOf(c) >= 0)) {
            throw refused(shown(path) + " holds one of * ? [ ] \\, which restic reads as a pattern; choose the folder"
                    + " that holds it", "backupfiles.paths.pattern", shown(path));
        }
        Path parsed;
        try {
            parsed = Path.of(path);
        } catch (InvalidPathException e) {
            throw refused(shown(path) + " is not a path", "backupfiles.paths.invalid", shown(path));
        }
        for (Path name : parsed) {
            if (name.toString().equals("..")) {
                throw refused(shown(path) + " climbs up with '..'; give the path from the site's web root",
                        "backupfiles.paths.dotdot", shown(path));
            }
        }
        Path normal = parsed.normalize();
        if (!normal.isAbsolute()) {
            return normal;
        }
        if (!normal.startsWith(root)) {
            throw refused(shown(path) + " is outside the site: paths are relative to " + root + ", or absolute inside it",
                    "backupfiles.paths.outside", shown(path), root.toString());
        }
        return root.relativize(normal);
    }

    private static String shown(String path) {
        return InvalidInputException.quote(path);
    }

    private static InvalidRequestException refused(String message, String code, Object... args) {
        return InvalidRequestException.of("paths", message, code, args);
    }
}
