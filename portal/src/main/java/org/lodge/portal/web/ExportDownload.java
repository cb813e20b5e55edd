package org.lodge.portal.web;

import java.nio.file.Files;
import java.nio.file.Path;
import org.lodge.portal.i18n.CodedRefusal;
import org.lodge.provisioning.ExportView;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Streams a disk export. The file lives on the VM's node, owned by root: this works where the
 * portal's process can read it, and answers 409 otherwise (under {@code ./lodge run}'s privilege
 * split the portal is the unprivileged {@code lodge} user, see docs/architecture.md, Roles).
 */
public final class ExportDownload {

    private ExportDownload() {
    }

    public static ResponseEntity<Resource> of(ExportView export) {
        Path file = Path.of(export.path());
        if (!Files.isReadable(file)) {
            throw new CodedRefusal(HttpStatus.CONFLICT, "the portal cannot read " + export.path()
                    + ": it runs as an unprivileged user (or on another machine) and the export belongs to the VM's"
                    + " node; copy it from the node as root", "export.unreadable", export.path());
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(export.fileName())
                        .build().toString())
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(file.toFile().length())
                .body(new FileSystemResource(file));
    }
}
