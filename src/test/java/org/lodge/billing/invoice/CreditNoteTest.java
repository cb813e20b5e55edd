package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helger.fatturapa.FatturaPA122Marshaller;
import com.helger.fatturapa.v122.FPA122FatturaElettronicaType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.Customers;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.TenantScope;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Credit notes (TD04) correct issued invoices with their own gapless numbers; EU businesses
 * outside Italy are billed under the reverse charge. Every FatturaPA document is validated
 * against the official XSD (ph-fatturapa's bundled copy), as the download itself does.
 */
@PortalOnlyTest
class CreditNoteTest {

    private static final CustomerDetails ROSSI = new CustomerDetails("Rossi Web S.r.l.", "IT", "01234567890", null,
            "Via Roma 10", "20121", "Milano", "MI", "ABC1234", null);
    private static final CustomerDetails GMBH = new CustomerDetails("Beispiel GmbH", "DE", "DE123456789", null,
            "Hauptstrasse 1", "10115", "Berlin", null, null, null);

    @Autowired
    TestData data;
    @Autowired
    Customers customers;
    @Autowired
    Invoices invoices;
    @Autowired
    InvoiceStore store;
    @Autowired
    CreditNotes creditNotes;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;
    @Autowired
    JdbcClient jdbc;

    /** One invoice with one line per unit (jail-basic, 5.00 a month). */
    private InvoiceView issuedInvoiceOf(TenantEntity tenant, String day, int units) {
        UUID plan = plans.byCode("jail-basic", LocalDate.now()).orElseThrow().id();
        for (int i = 0; i < units; i++) {
            subscriptions.start(tenant.getId(), UUID.randomUUID(), "u" + i + ".example.com", plan, LocalDate.parse(day),
                    1L << 30);
        }
        runner.run(LocalDate.parse(day));
        return store.list(Optional.of(tenant.getId())).get(0);
    }

    @Test
    void aCreditNoteCorrectsAnIssuedInvoiceWithItsOwnGaplessNumberAndIsValidTd04() throws Exception {
        TenantEntity tenant = data.tenant("nc");
        AsStaff.run(() -> customers.save(tenant.getId(), ROSSI));
        InvoiceView invoice = issuedInvoiceOf(tenant, "2025-11-03", 2);
        assertThat(invoice.lines()).hasSize(2);
        LocalDate day = LocalDate.parse("2033-02-01");

        UUID first = creditNotes.credit(invoice.id(), List.of(invoice.lines().get(0).id()), day);
        UUID second = creditNotes.credit(invoice.id(), null, day);
        InvoiceView one = store.find(first, Optional.empty()).orElseThrow();
        InvoiceView two = store.find(second, Optional.empty()).orElseThrow();
        assertThat(one.number()).isEqualTo("NC/2033/000001");
        assertThat(two.number()).as("the next in the series, no gap").isEqualTo("NC/2033/000002");
        assertThat(one.creditNote()).isTrue();
        assertThat(one.corrects()).isEqualTo(invoice.id());
        assertThat(one.gross().amount()).isEqualByComparingTo("-6.10");
        assertThat(two.lines()).hasSize(1).first().extracting(InvoiceView.Line::description).asString()
                .startsWith("Credit of " + invoice.number());
        assertThatThrownBy(() -> creditNotes.credit(invoice.id(), null, day))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("credited already");
        assertThatThrownBy(() -> creditNotes.credit(first, null, day))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a credit note");
        assertThat(store.find(invoice.id(), Optional.empty()).orElseThrow().gross().amount())
                .as("the invoice itself never changes").isEqualByComparingTo("12.20");

        byte[] xml = invoices.fatturaPa(first, TenantScope.of(tenant.getId()));
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).contains("<TipoDocumento>TD04</TipoDocumento>", "<Numero>NC/2033/000001</Numero>",
                "<IdDocumento>" + invoice.number() + "</IdDocumento>", "<ProgressivoInvio>NC33000001</ProgressivoInvio>",
                "<ImportoTotaleDocumento>6.10</ImportoTotaleDocumento>", "<ImponibileImporto>5.00</ImponibileImporto>",
                "<Imposta>1.10</Imposta>");
        FatturaPA122Marshaller marshaller = new FatturaPA122Marshaller();
        FPA122FatturaElettronicaType read = marshaller.read(xml);
        assertThat(read).isNotNull();
        assertThat(FatturaPaXml.errors(marshaller, read)).isEmpty();

        try (var pdf = Loader.loadPDF(invoices.pdf(first, TenantScope.of(tenant.getId())))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("Nota di credito / Credit note NC/2033/000001",
                    "Corrects invoice " + invoice.number(), "Total credited", "6.10 EUR");
        }
    }

    @Test
    void creditNotesAreStaffWorkAndRefuseDraftsAndForeignLines() {
        TenantEntity tenant = data.tenant("nc-refused");
        InvoiceView invoice = issuedInvoiceOf(tenant, "2025-11-04", 1);
        var customer = org.springframework.security.core.context.SecurityContextHolder.createEmptyContext();
        customer.setAuthentication(org.springframework.security.authentication.UsernamePasswordAuthenticationToken
                .authenticated("a-customer", null,
                        org.springframework.security.core.authority.AuthorityUtils.createAuthorityList("ROLE_CUSTOMER")));
        org.springframework.security.core.context.SecurityContextHolder.setContext(customer);
        try {
            assertThatThrownBy(() -> invoices.creditNote(invoice.id(), null))
                    .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        } finally {
            org.springframework.security.core.context.SecurityContextHolder.clearContext();
        }
        assertThatThrownBy(() -> creditNotes.credit(invoice.id(), List.of(-1L), LocalDate.parse("2033-03-01")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not lines of");
        UUID draft = store.draft(tenant.getId());
        assertThatThrownBy(() -> creditNotes.credit(draft, null, LocalDate.parse("2033-03-01")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("only an issued invoice");
        InvoiceView note = AsStaff.call(() -> invoices.creditNote(invoice.id(), null));
        assertThat(note.number()).startsWith("NC/");
        assertThat(Invoices.fileName(note)).startsWith("credit-note-NC-");
    }

    @Test
    void revenuePerMonthCountsCreditNotesAgainstInvoices() {
        TenantEntity tenant = data.tenant("revenue");
        InvoiceView invoice = issuedInvoiceOf(tenant, "2025-11-06", 1);
        assertThat(AsStaff.call(() -> invoices.revenue())).noneMatch(r -> r.month().equals("2037-08"));
        creditNotes.credit(invoice.id(), null, LocalDate.parse("2037-08-15"));
        var august = AsStaff.call(() -> invoices.revenue()).stream().filter(r -> r.month().equals("2037-08"))
                .findFirst().orElseThrow();
        assertThat(august.net().amount()).isEqualByComparingTo("-5.00");
        assertThat(august.gross().amount()).isEqualByComparingTo("-6.10");
        assertThat(august.invoices()).isZero();
        assertThat(august.creditNotes()).isEqualTo(1);
    }

    @Test
    void anEuBusinessOutsideItalyIsBilledUnderTheReverseChargeAndItsFatturaPaIsValid() throws Exception {
        TenantEntity tenant = data.tenant("rc");
        AsStaff.run(() -> customers.save(tenant.getId(), GMBH));
        InvoiceView invoice = issuedInvoiceOf(tenant, "2025-11-05", 1);
        assertThat(invoice.lines()).allSatisfy(l -> {
            assertThat(l.vatRate()).isEqualByComparingTo("0");
            assertThat(l.vatNature()).isEqualTo("N2.1");
        });
        assertThat(invoice.vat().amount()).isEqualByComparingTo("0.00");
        assertThat(invoice.gross().amount()).isEqualByComparingTo("5.00");

        String text = new String(invoices.fatturaPa(invoice.id(), TenantScope.all()), StandardCharsets.UTF_8);
        assertThat(text).contains("<Natura>N2.1</Natura>", "<AliquotaIVA>0.00</AliquotaIVA>",
                "<CodiceDestinatario>XXXXXXX</CodiceDestinatario>", "<IdPaese>DE</IdPaese>", "Reverse charge",
                "<RiferimentoNormativo>");
        FatturaPA122Marshaller marshaller = new FatturaPA122Marshaller();
        assertThat(FatturaPaXml.errors(marshaller, marshaller.read(text.getBytes(StandardCharsets.UTF_8)))).isEmpty();
        try (var pdf = Loader.loadPDF(invoices.pdf(invoice.id(), TenantScope.all()))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("Reverse charge", "0.00 N2.1");
        }

        // An Italian customer of the same run keeps the configured rate.
        TenantEntity italian = data.tenant("rc-it");
        AsStaff.run(() -> customers.save(italian.getId(), ROSSI));
        assertThat(issuedInvoiceOf(italian, "2025-11-05", 1).lines()).allSatisfy(l -> {
            assertThat(l.vatRate()).isEqualByComparingTo("22");
            assertThat(l.vatNature()).isNull();
        });
    }
}
