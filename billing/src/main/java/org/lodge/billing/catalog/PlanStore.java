package org.lodge.billing.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.Money;
import org.lodge.billing.PlanView;
import org.lodge.billing.PriceView;
import org.lodge.provisioning.UnitKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The plan and price tables (billing's own, written only here). */
@Component
public class PlanStore {

    private static final String PLAN_WITH_PRICE = """
            select p.*, pr.monthly_price, pr.effective_from
              from billing_plan p
              left join lateral (select monthly_price, effective_from from billing_plan_price x
                                  where x.plan_id = p.id and x.effective_from <= :on
                                  order by effective_from desc limit 1) pr on true
            """;

    private final JdbcClient jdbc;

    public PlanStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<PlanView> all(LocalDate on) {
        return jdbc.sql(PLAN_WITH_PRICE + " order by p.kind, p.code").param("on", on).query(PlanStore::plan).list();
    }

    public Optional<PlanView> byCode(String code, LocalDate on) {
        return jdbc.sql(PLAN_WITH_PRICE + " where p.code = :code").param("on", on).param("code", code)
                .query(PlanStore::plan).optional();
    }

    public Optional<PlanView> byId(UUID id, LocalDate on) {
        return jdbc.sql(PLAN_WITH_PRICE + " where p.id = :id").param("on", on).param("id", id)
                .query(PlanStore::plan).optional();
    }

    public Optional<PlanView> defaultFor(UnitKind kind, LocalDate on) {
        return jdbc.sql(PLAN_WITH_PRICE + " where p.kind = :kind and p.kind_default").param("on", on)
                .param("kind", kind.name()).query(PlanStore::plan).optional();
    }

    /** The monthly price of a plan in force on a day, if one is. */
    public Optional<Money> priceOn(UUID planId, LocalDate on) {
        return jdbc.sql("""
                select monthly_price from billing_plan_price where plan_id = :id and effective_from <= :on
                 order by effective_from desc limit 1""")
                .param("id", planId).param("on", on).query((rs, n) -> new Money(rs.getBigDecimal(1))).optional();
    }

    public List<PriceView> prices(UUID planId) {
        return jdbc.sql("select effective_from, monthly_price from billing_plan_price where plan_id = :id"
                        + " order by effective_from")
                .param("id", planId)
                .query((rs, n) -> new PriceView(rs.getObject(1, LocalDate.class), new Money(rs.getBigDecimal(2))))
                .list();
    }

    public void insert(UUID id, String code, String name, UnitKind kind, long diskBytes, int memoryMib, int vcpus,
                       long backupQuotaBytes, boolean kindDefault) {
        if (kindDefault) {
            jdbc.sql("update billing_plan set kind_default = false where kind = :kind and kind_default")
                    .param("kind", kind.name()).update();
        }
        jdbc.sql("""
                insert into billing_plan (id, code, name, kind, disk_bytes, memory_mib, vcpus, backup_quota_bytes, kind_default)
                values (:id, :code, :name, :kind, :disk, :memory, :vcpus, :backup, :def)""")
                .param("id", id).param("code", code).param("name", name).param("kind", kind.name())
                .param("disk", diskBytes).param("memory", memoryMib).param("vcpus", vcpus).param("backup", backupQuotaBytes)
                .param("def", kindDefault).update();
    }

    /** Sets the price from a day on; a second change for the same day replaces the first. */
    public void price(UUID planId, LocalDate from, Money price) {
        jdbc.sql("""
                insert into billing_plan_price (plan_id, effective_from, monthly_price) values (:id, :from, :price)
                on conflict (plan_id, effective_from) do update set monthly_price = excluded.monthly_price""")
                .param("id", planId).param("from", from).param("price", price.amount()).update();
    }

    private static PlanView plan(ResultSet rs, int row) throws SQLException {
        return new PlanView(rs.getObject("id", UUID.class), rs.getString("code"), rs.getString("name"),
                UnitKind.valueOf(rs.getString("kind")), rs.getLong("disk_bytes"), rs.getInt("memory_mib"),
                rs.getInt("vcpus"), rs.getLong("backup_quota_bytes"), rs.getBoolean("kind_default"),
                rs.getBigDecimal("monthly_price") == null ? null : new Money(rs.getBigDecimal("monthly_price")),
                rs.getObject("effective_from", LocalDate.class));
    }
}
