package org.lodge.provisioning.jail;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JailRepository extends JpaRepository<JailEntity, UUID> {

    boolean existsByDomain(String domain);

    List<JailEntity> findAllByOrderByDomain();

    List<JailEntity> findByTenantIdOrderByDomain(UUID tenantId);

    List<JailEntity> findByNodeName(String nodeName);
}
