package org.lodge.billing.invoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.InvoiceState;
import org.lodge.billing.InvoiceView;
import org.springframework.stereotype.Component;

/**
 * An invoice as an A4 PDF (Apache PDFBox, the standard Helvetica fonts, so nothing to embed):
 * seller, customer, number and dates, one row per line with its VAT rate, totals per rate and
 * the grand total. Text a standard font cannot show (non-Latin names) is printed as '?'.
 */
@Component
public class InvoicePdf {

    private static final float MARGIN = 50;
    private static final float[] COLUMNS = {MARGIN, 400, 470};
    // Made once per rendering thread (each creation looks the font up): PDFBox objects are not
    // for sharing between threads, and the run renders on several.
    private static final ThreadLocal<PDType1Font> REGULAR =
            ThreadLocal.withInitial(() -> new PDType1Font(Standard14Fonts.FontName.HELVETICA));
    private static final ThreadLocal<PDType1Font> BOLD =
            ThreadLocal.withInitial(() -> new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));

    private final BillingProperties props;

    InvoicePdf(BillingProperties props) {
        this.props = props;
    }

    public byte[] render(InvoiceView invoice) {
        return render(invoice, null);
    }

    /** With the customer's billing details (legal name, tax ids, address) when the tenant has them. */
    public byte[] render(InvoiceView invoice, CustomerDetails customer) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title(invoice));
            info.setCreator("Lodge");
            Writer w = new Writer(doc);
            PDType1Font bold = BOLD.get();
            w.text(bold, 16, MARGIN, title(invoice));
            w.skip(10);
            for (String line : props.seller().split("\\R|\\|")) {
                w.text(null, 10, MARGIN, line.strip());
            }
            w.skip(8);
            if (customer == null) {
                w.text(bold, 10, MARGIN, "Bill to: " + (invoice.tenantName() == null ? invoice.tenantId() : invoice.tenantName()));
            } else {
                w.text(bold, 10, MARGIN, "Bill to: " + customer.legalName());
                w.text(null, 10, MARGIN, customer.address() + ", " + customer.postcode() + " " + customer.city()
                        + (customer.province() == null ? "" : " " + customer.province()) + ", " + customer.country());
                if (customer.vatNumber() != null) {
                    w.text(null, 10, MARGIN, "VAT " + customer.country() + customer.vatNumber());
                }
                if (customer.fiscalCode() != null) {
                    w.text(null, 10, MARGIN, "Fiscal code " + customer.fiscalCode());
                }
            }
            boolean note = invoice.creditNote();
            if (invoice.issueDate() != null) {
                w.text(null, 10, MARGIN, "Issued " + invoice.issueDate()
                        + (note ? "" : ", due " + invoice.dueDate()));
            }
            if (note) {
                w.text(bold, 10, MARGIN, "Corrects invoice " + invoice.correctsNumber()
                        + " (rettifica della fattura " + invoice.correctsNumber() + ")");
            }
            if (invoice.lines().stream().anyMatch(l -> l.vatNature() != null)) {
                for (String part : wrap(VatTreatment.REVERSE_CHARGE_NOTE, 95)) {
                    w.text(null, 9, MARGIN, part);
                }
            }
            w.skip(12);
            w.row(bold, "Description", "VAT %", "Net (EUR)");
            for (InvoiceView.Line line : invoice.lines()) {
                w.row(null, line.description(), line.vatRate().toPlainString()
                        + (line.vatNature() == null ? "" : " " + line.vatNature()),
                        CreditNotes.shown(line.net(), note).amount().toPlainString());
            }
            w.skip(10);
            for (InvoiceView.RateTotal rate : invoice.rates()) {
                w.row(null, "Taxable at " + rate.vatRate().toPlainString() + " %: "
                        + CreditNotes.shown(rate.net(), note).amount().toPlainString() + " EUR, VAT",
                        rate.vatRate().toPlainString(), CreditNotes.shown(rate.vat(), note).amount().toPlainString());
            }
            w.row(bold, "Net total", "", CreditNotes.shown(invoice.net(), note).amount().toPlainString());
            w.row(bold, "VAT total", "", CreditNotes.shown(invoice.vat(), note).amount().toPlainString());
            w.row(bold, note ? "Total credited" : "Total due", "",
                    CreditNotes.shown(invoice.gross(), note).amount().toPlainString() + " EUR");
            w.close();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String title(InvoiceView invoice) {
        if (invoice.creditNote()) {
            return "Nota di credito / Credit note " + invoice.number();
        }
        return invoice.state() == InvoiceState.ISSUED ? "Invoice " + invoice.number() : "Draft invoice (not issued, no number)";
    }

    /** Writes lines top-down, starting a new page when one is full. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType1Font regular = REGULAR.get();
        private PDPageContentStream page;
        private float y;

        Writer(PDDocument doc) throws IOException {
            this.doc = doc;
            newPage();
        }

        private void newPage() throws IOException {
            if (page != null) {
                page.close();
            }
            PDPage next = new PDPage(PDRectangle.A4);
            doc.addPage(next);
            page = new PDPageContentStream(doc, next);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void skip(float points) {
            y -= points;
        }

        void text(PDType1Font font, float size, float x, String text) throws IOException {
            if (y < MARGIN + size) {
                newPage();
            }
            page.beginText();
            page.setFont(font == null ? regular : font, size);
            page.newLineAtOffset(x, y);
            page.showText(printable(font == null ? regular : font, text));
            page.endText();
            y -= size * 1.4f;
        }

        void row(PDType1Font font, String... cells) throws IOException {
            List<String> first = wrap(cells[0], 62);
            float top = y;
            for (int i = 1; i < cells.length; i++) {
                y = top;
                text(font, 9, COLUMNS[i], cells[i]);
            }
            y = top;
            for (String part : first) {
                text(font, 9, COLUMNS[0], part);
            }
        }

        void close() throws IOException {
            page.close();
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            cut = cut <= 0 ? width : cut;
            lines.add(rest.substring(0, cut));
            rest = rest.substring(cut).strip();
        }
        lines.add(rest);
        return lines;
    }

    /** Keeps what the standard font's encoding (WinAnsi) can show; the rest becomes '?'. */
    private static String printable(PDType1Font font, String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            String ch = new String(Character.toChars(c));
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }
}
