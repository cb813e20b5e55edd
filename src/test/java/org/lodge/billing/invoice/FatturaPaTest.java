package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helger.fatturapa.FatturaPA122Marshaller;
import com.helger.fatturapa.v122.FPA122FatturaElettronicaType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
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

/** FatturaPA XML of issued invoices, checked against the official XSD bundled with ph-fatturapa. */
@PortalOnlyTest
class FatturaPaTest {

    private static final CustomerDetails ROSSI = new CustomerDetails("Rossi Web S.r.l.", "it", "IT 01234567890", null,
            "Via Roma 10", "20121", "Milano", "mi", "abc1234", null);

    @Autowired
    TestData data;
    @Autowired
    Customers customers;
    @Autowired
    Invoices invoices;
    @Autowired
    InvoiceStore store;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;

    private InvoiceView issuedInvoiceOf(TenantEntity tenant, String day) {
        UUID plan = plans.byCode("jail-basic", LocalDate.now()).orElseThrow().id();
        subscriptions.start(tenant.getId(), UUID.randomUUID(), "negozio.example.com", plan, LocalDate.parse(day), 1L << 30);
        runner.run(LocalDate.parse(day));
        return store.list(Optional.of(tenant.getId())).get(0);
    }

    @Test
    void anIssuedInvoiceOfAnItalianCustomerIsValidFatturaPa() throws Exception {
        TenantEntity tenant = data.tenant("rossi");
        CustomerDetails saved = AsStaff.call(() -> customers.save(tenant.getId(), ROSSI));
        assertThat(saved.vatNumber()).isEqualTo("01234567890");
        assertThat(saved.sdiCode()).isEqualTo("ABC1234");
        InvoiceView invoice = issuedInvoiceOf(tenant, "2025-10-07");

        byte[] xml = invoices.fatturaPa(invoice.id(), TenantScope.of(tenant.getId()));
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).contains("FPR12", "<Numero>" + invoice.number() + "</Numero>",
                "<ImportoTotaleDocumento>6.10</ImportoTotaleDocumento>", "<AliquotaIVA>22.00</AliquotaIVA>",
                "<ImponibileImporto>5.00</ImponibileImporto>", "<Imposta>1.10</Imposta>",
                "<CodiceDestinatario>ABC1234</CodiceDestinatario>", "Rossi Web S.r.l.", "<Data>2025-10-07");

        try (var pdf = org.apache.pdfbox.Loader.loadPDF(invoices.pdf(invoice.id(), TenantScope.of(tenant.getId())))) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(pdf))
                    .contains("Bill to: Rossi Web S.r.l.", "Via Roma 10, 20121 Milano MI, IT", "VAT IT01234567890");
        }

        FatturaPA122Marshaller marshaller = new FatturaPA122Marshaller();
        FPA122FatturaElettronicaType read = marshaller.read(xml);
        assertThat(read).as("reads back under the XSD").isNotNull();
        assertThat(FatturaPaXml.errors(marshaller, read)).isEmpty();
        // The validation is real: a postcode of two digits breaks the schema.
        read.getFatturaElettronicaHeader().getCessionarioCommittente().getSede().setCAP("12");
        assertThat(FatturaPaXml.errors(marshaller, read)).isNotEmpty();
    }

    @Test
    void noFatturaPaForCustomersOutsideTheEuOrWithoutDetails() {
        TenantEntity american = data.tenant("inc");
        AsStaff.run(() -> customers.save(american.getId(), new CustomerDetails("Example Inc.", "US", "123456789", null,
                "1 Main Street", "10001", "New York", null, null, null)));
        InvoiceView invoice = issuedInvoiceOf(american, "2025-10-08");
        assertThatThrownBy(() -> invoices.fatturaPa(invoice.id(), TenantScope.all()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Italy");
        TenantEntity unknown = data.tenant("nodetails");
        InvoiceView other = issuedInvoiceOf(unknown, "2025-10-09");
        assertThatThrownBy(() -> invoices.fatturaPa(other.id(), TenantScope.all()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void badBillingDetailsAreRefusedFieldByFieldAndNothingIsKept() {
        TenantEntity tenant = data.tenant("bad");
        assertThatThrownBy(() -> AsStaff.run(() -> customers.save(tenant.getId(), new CustomerDetails("", "IT",
                "123", null, "Via Roma 1", "2012", "Milano", null, "ab", "not-an-address"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("legalName").hasMessageContaining("11 digits").hasMessageContaining("postcode")
                .hasMessageContaining("province").hasMessageContaining("sdiCode").hasMessageContaining("pec");
        assertThat(customers.find(tenant.getId(), TenantScope.all())).isEmpty();
    }
}
