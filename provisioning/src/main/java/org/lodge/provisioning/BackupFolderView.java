package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * One folder of a jail backup's web root, from the file index the worker stored when it verified
 * the backup. {@code path} is relative to the web root ("." for the web root itself), {@code parent}
 * is null at the web root; each entry's {@code path} is what the restore and download take.
 */
public record BackupFolderView(String path, String parent, List<Entry> entries) {

    /** A file ({@code file}), folder ({@code dir}) or link ({@code symlink}) of the folder; size of files only. */
    public record Entry(String name, String path, String type, long size, Instant mtime) {

        public boolean folder() {
            return "dir".equals(type);
        }
    }

    /** A folder on the way down from the web root: its path (for links) and its name ("." for the web root). */
    public record Crumb(String path, String name) {
    }

    /** The folders from the web root down to this one, the web root first: for breadcrumbs. */
    public List<Crumb> trail() {
        java.util.ArrayList<Crumb> trail = new java.util.ArrayList<>(List.of(new Crumb(".", ".")));
        if (!".".equals(path)) {
            int start = 0;
            for (int at = path.indexOf('/'); ; at = path.indexOf('/', at + 1)) {
                int end = at < 0 ? path.length() : at;
                trail.add(new Crumb(path.substring(0, end), path.substring(start, end)));
                if (at < 0) {
                    break;
                }
                start = at + 1;
            }
        }
        return trail;
    }
}
