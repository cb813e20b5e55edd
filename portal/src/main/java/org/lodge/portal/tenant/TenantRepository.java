package org.lodge.portal.tenant;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface TenantRepository extends JpaRepository<TenantEntity, UUID> {

    @Query("select count(t) > 0 from TenantEntity t where lower(t.name) = lower(:name)")
    boolean existsByNameIgnoreCase(String name);

    @Query("select t from TenantEntity t order by t.name")
    List<TenantEntity> findAllByOrderByName();

    /**
     * Ids of the tenants whose name matches {@code pattern} ({@code like}, escaped with {@code !}), at
     * most 100. SQL: Hibernate translated the derived query's criteria, and a JPQL string with a limit too,
     * again on every search (JFR: {@code buildCacheableSqmInterpretation}).
     */
    @Query(value = "select id from tenant where lower(name) like lower(:pattern) escape '!' order by name limit 100",
            nativeQuery = true)
    List<UUID> idsNamedLike(String pattern);

    /**
     * The tenants of one page's rows. SQL with one array parameter: Hibernate translates a query with a
     * list parameter ({@code in :ids}, and the criteria of {@code findAllById}) again on every call
     * (JFR: {@code buildCacheableSqmInterpretation}), and only caches the plan of single values.
     */
    @Query(value = "select * from tenant where id = any(:ids)", nativeQuery = true)
    List<TenantEntity> findByIds(UUID[] ids);
}
