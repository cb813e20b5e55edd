package org.lodge.portal.tenant;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TenantRepository extends JpaRepository<TenantEntity, UUID> {

    boolean existsByNameIgnoreCase(String name);

    List<TenantEntity> findAllByOrderByName();

    List<TenantEntity> findTop100ByNameContainingIgnoreCase(String part);
}
