package org.lodge.provisioning.unit;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface UnitRepository extends JpaRepository<UnitEntity, UUID> {

    boolean existsByDomain(String domain);

    List<UnitEntity> findAllByOrderByDomain();

    List<UnitEntity> findByTenantIdOrderByDomain(UUID tenantId);

    List<UnitEntity> findByNodeName(String nodeName);
}
