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

    /** The folders from the web root down to this one, each as its path ("." first): for breadcrumbs. */
    public List<String> trail() {
        if (".".equals(path)) {
            return List.of(".");
        }
        java.util.ArrayList<String> trail = new java.util.ArrayList<>(List.of("."));
        int at = -1;
        while ((at = path.indexOf('/', at + 1)) >= 0) {
            trail.add(path.substring(0, at));
        }
        trail.add(path);
        return trail;
    }
}
