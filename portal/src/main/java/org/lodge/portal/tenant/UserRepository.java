package org.lodge.portal.tenant;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface UserRepository extends JpaRepository<UserEntity, UUID> {

    /** A JPQL string: asked on every API call, and Hibernate translated the derived query's criteria each time. */
    @org.springframework.data.jpa.repository.Query("select u from UserEntity u where u.username = :username")
    Optional<UserEntity> findByUsername(String username);

    boolean existsByUsername(String username);

    boolean existsByRole(Role role);

    List<UserEntity> findByTenantIdOrderByUsername(UUID tenantId);
}
