package org.lodge.portal.tenant;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface TenantRepository extends JpaRepository<TenantEntity, UUID> {

    boolean existsByNameIgnoreCase(String name);

    List<TenantEntity> findAllByOrderByName();

    List<TenantEntity> findTop100ByNameContainingIgnoreCase(String part);

    /** The tenants of one page's rows; a JPQL string so that Hibernate caches its plan (see UnitRepository.findByIds). */
    @Query("select t from TenantEntity t where t.id in :ids")
    List<TenantEntity> findByIds(java.util.Collection<UUID> ids);
}
