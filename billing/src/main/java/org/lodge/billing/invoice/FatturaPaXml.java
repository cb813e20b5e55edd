package org.lodge.billing.invoice;

import com.helger.diagnostics.error.list.ErrorList;
import com.helger.fatturapa.FatturaPA122Marshaller;
import com.helger.fatturapa.v122.*;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.FatturaPaProperties;
import org.lodge.billing.InvoiceState;
import org.lodge.billing.InvoiceView;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.stereotype.Component;

/**
 * An issued invoice as FatturaPA XML (schema 1.2.2, transmission format FPR12: between private
 * parties), built on ph-fatturapa's JAXB types and validated against the official XSD that
 * library bundles before it is handed out: an invalid document is an error, never a download.
 */
@Component
public class FatturaPaXml {

    private final FatturaPaProperties seller;

    FatturaPaXml(FatturaPaProperties seller) {
        this.seller = seller;
    }

    public byte[] render(InvoiceView invoice, CustomerDetails customer) {
        if (invoice.state() != InvoiceState.ISSUED) {
            throw InvalidRequestException.of("state", "only an issued invoice has a FatturaPA document",
                    "fatturapa.not-issued");
        }
        if (customer == null || !"IT".equals(customer.country()) && !VatTreatment.reverseCharge(customer)) {
            throw InvalidRequestException.of("customer", "FatturaPA is for customers in Italy, or businesses with a VAT"
                    + " number in another EU member state, with billing details", "fatturapa.customer");
        }
        FPA122FatturaElettronicaType doc = document(invoice, customer);
        FatturaPA122Marshaller marshaller = new FatturaPA122Marshaller();
        List<String> errors = errors(marshaller, doc);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("FatturaPA of " + invoice.number() + " is not valid: " + errors);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (marshaller.setFormattedOutput(true).write(doc, out).isFailure()) {
            throw new IllegalStateException("FatturaPA of " + invoice.number() + " could not be written");
        }
        return out.toByteArray();
    }

    /** What the XSD says is wrong with a document (empty: valid). */
    public static List<String> errors(FatturaPA122Marshaller marshaller, FPA122FatturaElettronicaType doc) {
        ErrorList errors = new ErrorList();
        marshaller.validate(doc, errors);
        return errors.getAllErrors().getAllTexts(Locale.ROOT);
    }

    private FPA122FatturaElettronicaType document(InvoiceView invoice, CustomerDetails customer) {
        FPA122FatturaElettronicaType doc = new FPA122FatturaElettronicaType();
        doc.setVersione(FPA122FormatoTrasmissioneType.FPR_12);
        FPA122FatturaElettronicaHeaderType header = new FPA122FatturaElettronicaHeaderType();
        header.setDatiTrasmissione(transmission(invoice, customer));
        header.setCedentePrestatore(seller());
        header.setCessionarioCommittente(buyer(customer));
        doc.setFatturaElettronicaHeader(header);
        doc.getFatturaElettronicaBody().add(body(invoice));
        return doc;
    }

    private FPA122DatiTrasmissioneType transmission(InvoiceView invoice, CustomerDetails customer) {
        FPA122DatiTrasmissioneType t = new FPA122DatiTrasmissioneType();
        t.setIdTrasmittente(id("IT", seller.vatNumber()));
        // Unique per transmitter: the fiscal number without its slash (YYYY + 6 digits = 10 characters).
        // A credit note's: "NC", the year's last two digits, the 6-digit sequence (10 characters too).
        t.setProgressivoInvio(invoice.creditNote() ? "NC" + invoice.number().substring(5).replace("/", "")
                : invoice.number().replace("/", ""));
        t.setFormatoTrasmissione(FPA122FormatoTrasmissioneType.FPR_12);
        boolean foreign = !"IT".equals(customer.country());
        // A recipient outside Italy has no SDI code: the SDI's fixed code for foreign customers.
        t.setCodiceDestinatario(foreign ? "XXXXXXX" : customer.sdiCode() != null ? customer.sdiCode() : "0000000");
        if (!foreign && customer.sdiCode() == null && customer.pec() != null) {
            t.setPECDestinatario(customer.pec());
        }
        return t;
    }

    private FPA122CedentePrestatoreType seller() {
        FPA122DatiAnagraficiCedenteType data = new FPA122DatiAnagraficiCedenteType();
        data.setIdFiscaleIVA(id("IT", seller.vatNumber()));
        data.setAnagrafica(name(seller.name()));
        data.setRegimeFiscale(FPA122RegimeFiscaleType.fromValue(seller.regime()));
        FPA122CedentePrestatoreType s = new FPA122CedentePrestatoreType();
        s.setDatiAnagrafici(data);
        s.setSede(address(seller.address(), seller.postcode(), seller.city(), seller.province(), "IT"));
        return s;
    }

    private static FPA122CessionarioCommittenteType buyer(CustomerDetails customer) {
        FPA122DatiAnagraficiCessionarioType data = new FPA122DatiAnagraficiCessionarioType();
        if (customer.vatNumber() != null) {
            data.setIdFiscaleIVA(id(customer.country(), customer.vatNumber()));
        }
        if (customer.fiscalCode() != null) {
            data.setCodiceFiscale(customer.fiscalCode());
        }
        data.setAnagrafica(name(customer.legalName()));
        FPA122CessionarioCommittenteType b = new FPA122CessionarioCommittenteType();
        b.setDatiAnagrafici(data);
        boolean foreign = !"IT".equals(customer.country());
        // Outside Italy CAP is the fixed 00000 and there is no province (FatturaPA's rules for foreign addresses).
        b.setSede(address(customer.address(), foreign ? "00000" : customer.postcode(), customer.city(),
                foreign ? null : customer.province(), customer.country()));
        return b;
    }

    private static FPA122FatturaElettronicaBodyType body(InvoiceView invoice) {
        FPA122DatiGeneraliDocumentoType general = new FPA122DatiGeneraliDocumentoType();
        boolean note = invoice.creditNote();
        general.setTipoDocumento(note ? FPA122TipoDocumentoType.TD_04 : FPA122TipoDocumentoType.TD_01);
        general.setDivisa("EUR");
        general.setData(invoice.issueDate());
        general.setNumero(invoice.number());
        general.setImportoTotaleDocumento(CreditNotes.shown(invoice.gross(), note).amount());
        if (invoice.lines().stream().anyMatch(l -> l.vatNature() != null)) {
            general.getCausale().add(VatTreatment.REVERSE_CHARGE_NOTE);
        }
        FPA122DatiGeneraliType generalData = new FPA122DatiGeneraliType();
        generalData.setDatiGeneraliDocumento(general);
        if (note) {
            FPA122DatiDocumentiCorrelatiType corrected = new FPA122DatiDocumentiCorrelatiType();
            corrected.setIdDocumento(invoice.correctsNumber());
            generalData.getDatiFattureCollegate().add(corrected);
        }

        FPA122DatiBeniServiziType goods = new FPA122DatiBeniServiziType();
        int n = 0;
        for (InvoiceView.Line line : invoice.lines()) {
            FPA122DettaglioLineeType l = new FPA122DettaglioLineeType();
            l.setNumeroLinea(++n);
            l.setDescrizione(line.description());
            l.setDataInizioPeriodo(line.periodStart());
            l.setDataFinePeriodo(line.periodEnd().minusDays(1));
            l.setPrezzoUnitario(CreditNotes.shown(line.net(), note).amount());
            l.setPrezzoTotale(CreditNotes.shown(line.net(), note).amount());
            l.setAliquotaIVA(line.vatRate().setScale(2));
            if (line.vatNature() != null) {
                l.setNatura(FPA122NaturaType.fromValue(line.vatNature()));
            }
            goods.getDettaglioLinee().add(l);
        }
        for (InvoiceView.RateTotal rate : invoice.rates()) {
            FPA122DatiRiepilogoType r = new FPA122DatiRiepilogoType();
            r.setAliquotaIVA(rate.vatRate().setScale(2));
            r.setImponibileImporto(CreditNotes.shown(rate.net(), note).amount());
            r.setImposta(CreditNotes.shown(rate.vat(), note).amount());
            String nature = invoice.lines().stream().filter(l -> l.vatRate().signum() == 0 && l.vatNature() != null)
                    .map(InvoiceView.Line::vatNature).findFirst().orElse(null);
            if (rate.vatRate().signum() == 0 && nature != null) {
                r.setNatura(FPA122NaturaType.fromValue(nature));
                r.setRiferimentoNormativo("Inversione contabile, art. 7-ter DPR 633/72");
            } else {
                r.setEsigibilitaIVA(FPA122EsigibilitaIVAType.I);
            }
            goods.getDatiRiepilogo().add(r);
        }
        FPA122FatturaElettronicaBodyType body = new FPA122FatturaElettronicaBodyType();
        body.setDatiGenerali(generalData);
        body.setDatiBeniServizi(goods);
        return body;
    }

    private static FPA122IdFiscaleType id(String country, String code) {
        FPA122IdFiscaleType id = new FPA122IdFiscaleType();
        id.setIdPaese(country);
        id.setIdCodice(code);
        return id;
    }

    private static FPA122AnagraficaType name(String legalName) {
        FPA122AnagraficaType a = new FPA122AnagraficaType();
        a.setDenominazione(legalName);
        return a;
    }

    private static FPA122IndirizzoType address(String street, String postcode, String city, String province,
                                               String country) {
        FPA122IndirizzoType a = new FPA122IndirizzoType();
        a.setIndirizzo(street);
        a.setCAP(postcode);
        a.setComune(city);
        a.setProvincia(province);
        a.setNazione(country);
        return a;
    }
}
