package org.lodge.billing;

/** A draft can still change and has no number; an issued invoice has one and never changes. */
public enum InvoiceState {
    DRAFT, ISSUED
}
