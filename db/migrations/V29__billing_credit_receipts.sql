-- Credits become money the tenant has (docs/billing.md, "Credits"): a receipt of source CREDIT is
-- the part of a negative invoice (plan-change credits larger than what they offset) that the
-- tenant is owed; a receipt of source NOTE is an issued credit note, first allocated to the
-- invoice it corrects (so dunning no longer sees that part as owed), the rest a credit balance.
-- Their reference is the document's number: unique (source, reference) makes them once each.
alter table billing_receipt drop constraint billing_receipt_source_check;
alter table billing_receipt add constraint billing_receipt_source_check
    check (source in ('STAFF', 'PROVIDER', 'CREDIT', 'NOTE'));
