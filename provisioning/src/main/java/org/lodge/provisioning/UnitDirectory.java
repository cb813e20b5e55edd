package org.lodge.provisioning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The units list a page at a time, searched and sorted in the database: one query reads the page's
 * rows as flat views (only the columns a {@link UnitView} has, no entity hydrated), one counts the
 * matches. A customer's scope limits it to their tenant (and row-level security, on the same connection).
 */
@Service
public class UnitDirectory {

    private static final Map<String, String> ORDER = Map.of("domain", "u.domain", "-domain", "u.domain desc",
            "state", "u.state, u.domain", "created", "u.created_at, u.id", "-created", "u.created_at desc, u.id desc",
            "ipv4", "u.ipv4");

    private final JdbcClient jdbc;

    public UnitDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public ResultPage<UnitView> page(TenantScope scope, UnitQuery query) {
        StringBuilder where = new StringBuilder("true");
        Map<String, Object> params = new HashMap<>();
        scope.tenantId().ifPresent(tenant -> {
            where.append(" and u.tenant_id = :scope");
            params.put("scope", tenant);
        });
        if (query.state() != null) {
            where.append(" and u.state = :state");
            params.put("state", query.state().name());
        }
        if (query.kind() != null) {
            where.append(" and u.kind = :kind");
            params.put("kind", query.kind().name());
        }
        if (!query.text().isEmpty()) {
            where.append(" and (u.domain like :domain escape '\\'");
            params.put("domain", query.domainPattern());
            if (query.ipv4() != null) {
                where.append(" or host(u.ipv4) = :ip");
                params.put("ip", query.ipv4());
            }
            if (!query.tenantIds().isEmpty()) {
                where.append(" or u.tenant_id in (:tenants)");
                params.put("tenants", query.tenantIds());
            }
            where.append(')');
        }
        // The where clause is built from constant fragments only; input travels as parameters.
        // Two queries rather than count(*) over (): the page can then walk the domain index and
        // stop after its rows, instead of sorting every match to count them.
        List<UnitView> views = jdbc.sql("select " + ViewRows.UNIT_COLUMNS + " from unit u where " + where
                        + " order by " + ORDER.get(query.sort()) + " limit :limit offset :offset")
                .params(params).param("limit", query.size()).param("offset", (long) query.page() * query.size())
                .query((row, n) -> ViewRows.unit(row)).list();
        long total = jdbc.sql("select count(*) from unit u where " + where).params(params).query(Long.class).single();
        return new ResultPage<>(views, query.page(), query.size(), total);
    }
}
