package org.lodge.billing.customer;

import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.CustomerDetails;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The billing_customer table (billing's own). */
@Component
public class CustomerStore {

    private final JdbcClient jdbc;

    public CustomerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CustomerDetails> find(UUID tenantId) {
        return jdbc.sql("select * from billing_customer where tenant_id = :t").param("t", tenantId)
                .query((rs, n) -> new CustomerDetails(rs.getString("legal_name"), rs.getString("country"),
                        rs.getString("vat_number"), rs.getString("fiscal_code"), rs.getString("address"),
                        rs.getString("postcode"), rs.getString("city"), rs.getString("province"),
                        rs.getString("sdi_code"), rs.getString("pec"),
                        rs.getString("billing_email")))
                .optional();
    }

    public void save(UUID tenantId, CustomerDetails d) {
        jdbc.sql("""
                insert into billing_customer (tenant_id, legal_name, country, vat_number, fiscal_code, address, postcode,
                                              city, province, sdi_code, pec, billing_email)
                values (:t, :name, :country, :vat, :cf, :address, :postcode, :city, :province, :sdi, :pec, :email)
                on conflict (tenant_id) do update set legal_name = excluded.legal_name, country = excluded.country,
                    vat_number = excluded.vat_number, fiscal_code = excluded.fiscal_code, address = excluded.address,
                    postcode = excluded.postcode, city = excluded.city, province = excluded.province,
                    sdi_code = excluded.sdi_code, pec = excluded.pec, billing_email = excluded.billing_email,
                    updated_at = now()""")
                .param("t", tenantId).param("name", d.legalName()).param("country", d.country())
                .param("vat", d.vatNumber()).param("cf", d.fiscalCode()).param("address", d.address())
                .param("postcode", d.postcode()).param("city", d.city()).param("province", d.province())
                .param("sdi", d.sdiCode()).param("pec", d.pec()).param("email", d.billingEmail()).update();
    }
}
