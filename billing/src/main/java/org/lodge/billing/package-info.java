/**
 * Billing: plans and prices (catalog), a subscription per unit (from provisioning's unit events),
 * invoices from a billing run with gapless fiscal numbers, and their PDFs. Its root package is
 * the API the portal uses ({@link org.lodge.billing.Catalog}, {@link org.lodge.billing.Invoices},
 * {@link org.lodge.billing.Subscriptions}); sub-packages are internal. It learns about units
 * only from provisioning's events and never imports the portal.
 */
package org.lodge.billing;
