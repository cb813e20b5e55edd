package org.lodge.billing.mail;

/** What a billing e-mail tells; each is sent once per subject (invoice, or subscription and invoice). */
public enum MailKind {
    INVOICE_ISSUED("invoice-issued"),
    REMINDER_1("reminder"),
    REMINDER_2("reminder"),
    SUSPENDED("suspended"),
    UNSUSPENDED("unsuspended"),
    TERMINATED("terminated");

    private final String template;

    MailKind(String template) {
        this.template = template;
    }

    /** The template's name under {@code billing-mail/}, with {@code .txt} and {@code .html}. */
    String template() {
        return template;
    }
}
