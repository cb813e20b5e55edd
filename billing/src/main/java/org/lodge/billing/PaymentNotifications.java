package org.lodge.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lodge.billing.invoice.PaymentStore;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A payment provider's notifications: the raw body is signed with HMAC-SHA256 under a shared key
 * (header {@code X-Lodge-Signature: sha256=<hex>}), checked in constant time before anything is
 * read. The provider's transaction id is the receipt's unique reference: a replay changes nothing
 * and answers the same. The payer is named by an invoice number or a tenant id; the money goes to
 * the tenant's open invoices oldest first, the rest is credit.
 */
@Service
public class PaymentNotifications {

    public static final String SIGNATURE_HEADER = "X-Lodge-Signature";
    private static final int MIN_KEY_BYTES = 32;

    /** The notification's body, as the provider sends it. */
    record Notification(String transactionId, String amount, String currency, String paidOn, String invoiceNumber,
                        String tenantId) {
    }

    private final PaymentStore store;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final PaymentProviderProperties provider;
    private final BillingProperties props;
    private final Clock clock;

    public PaymentNotifications(PaymentStore store, JdbcClient jdbc, ObjectMapper json,
                                PaymentProviderProperties provider, BillingProperties props, Clock billingClock) {
        this.store = store;
        this.jdbc = jdbc;
        this.json = json;
        this.provider = provider;
        this.props = props;
        this.clock = billingClock;
    }

    public ReceiptView accept(byte[] body, String signature) {
        verify(body, signature);
        Notification n;
        try {
            n = json.readValue(body, Notification.class);
        } catch (IOException e) {
            throw InvalidRequestException.of("body", "a JSON object with transactionId, amount, currency, paidOn and "
                    + "invoiceNumber or tenantId", "notification.body");
        }
        List<InvalidInputException> problems = new java.util.ArrayList<>();
        if (n.transactionId() == null || !n.transactionId().matches("[A-Za-z0-9._:/-]{1,100}")) {
            problems.add(new InvalidInputException("transactionId", "1 to 100 letters, digits, '.', '_', ':', '/' or '-'",
                    "notification.transaction-id"));
        }
        Money amount = null;
        try {
            amount = Money.parse(n.amount());
            if (amount.compareTo(Money.ZERO) <= 0) {
                problems.add(new InvalidInputException("amount", "more than 0.00", "amount.positive"));
            }
        } catch (RuntimeException e) {
            problems.add(new InvalidInputException("amount", "an amount in euros, like 12.20", "amount.malformed"));
        }
        if (!Money.CURRENCY.equals(n.currency())) {
            problems.add(new InvalidInputException("currency", "EUR, the only currency billed", "notification.currency"));
        }
        LocalDate today = LocalDate.now(clock.withZone(props.zone()));
        LocalDate paidOn = today;
        try {
            paidOn = n.paidOn() == null ? today : LocalDate.parse(n.paidOn());
        } catch (DateTimeParseException e) {
            problems.add(new InvalidInputException("paidOn", "a date like 2026-01-31", "date.malformed"));
        }
        if ((n.invoiceNumber() == null) == (n.tenantId() == null)) {
            problems.add(new InvalidInputException("invoiceNumber", "name the payer by invoiceNumber or by tenantId, one of them",
                    "notification.payer"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        UUID tenant = payer(n);
        return store.receive(tenant, amount, paidOn, "PROVIDER", n.transactionId(), sha256(body), "payment-provider", today);
    }

    private UUID payer(Notification n) {
        if (n.invoiceNumber() != null) {
            return jdbc.sql("select tenant_id from billing_invoice where number = :n and state = 'ISSUED'")
                    .param("n", n.invoiceNumber()).query(UUID.class).optional()
                    .orElseThrow(() -> InvalidRequestException.of("invoiceNumber",
                            "no issued invoice is numbered '" + n.invoiceNumber() + "'", "notification.invoice",
                            n.invoiceNumber()));
        }
        UUID id;
        try {
            id = UUID.fromString(n.tenantId());
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("tenantId", "a tenant's id (a UUID)", "notification.tenant-id");
        }
        return jdbc.sql("select id from tenant where id = :id").param("id", id).query(UUID.class).optional()
                .orElseThrow(() -> InvalidRequestException.of("tenantId", "no customer has the id " + id,
                        "notification.tenant", String.valueOf(id)));
    }

    private void verify(byte[] body, String signature) {
        byte[] key = key();
        if (key == null) {
            throw new SignatureRefusedException("payment notifications are off: no provider key is configured");
        }
        if (signature == null || !signature.startsWith("sha256=")) {
            throw new SignatureRefusedException("missing signature: header " + SIGNATURE_HEADER + ": sha256=<hex HMAC of the body>");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring("sha256=".length()).strip());
        } catch (IllegalArgumentException e) {
            throw new SignatureRefusedException("the signature is not hexadecimal");
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new SignatureRefusedException("the signature does not match the body");
        }
    }

    /** The key from the environment or its file; null (everything refused) when neither is set or it is too short. */
    private byte[] key() {
        String text = provider.hmacKey();
        if ((text == null || text.isBlank()) && provider.hmacKeyFile() != null
                && !provider.hmacKeyFile().toString().isBlank()) {
            try {
                text = Files.readString(provider.hmacKeyFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("the payment provider's key file cannot be read", e);
            }
        }
        if (text == null || text.strip().getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            return null;
        }
        return text.strip().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
