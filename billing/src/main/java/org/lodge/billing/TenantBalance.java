package org.lodge.billing;

import java.util.UUID;

/**
 * A tenant's account: what its issued invoices still owe ({@code outstanding}) and the money it
 * has that no invoice took yet ({@code credit}).
 */
public record TenantBalance(UUID tenantId, String tenantName, Money outstanding, Money credit) {
}
