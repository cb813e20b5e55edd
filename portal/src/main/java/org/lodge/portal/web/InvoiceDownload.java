package org.lodge.portal.web;

import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** An invoice's PDF as a download named after its number. */
public final class InvoiceDownload {

    private InvoiceDownload() {
    }

    public static ResponseEntity<byte[]> of(InvoiceView invoice, byte[] pdf) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(Invoices.fileName(invoice)).build().toString())
                .body(pdf);
    }
}
