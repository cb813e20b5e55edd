package org.lodge.portal.tenant;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface UserRepository extends JpaRepository<UserEntity, UUID> {

    /** A JPQL string: asked on every API call, and Hibernate translated the derived query's criteria each time. */
    @Query("select u from UserEntity u where u.username = :username")
    Optional<UserEntity> findByUsername(String username);

    @Query("select count(u) > 0 from UserEntity u where u.username = :username")
    boolean existsByUsername(String username);

    @Query("select count(u) > 0 from UserEntity u where u.role = :role")
    boolean existsByRole(Role role);

    @Query("select u from UserEntity u where u.tenantId = :tenantId order by u.username")
    List<UserEntity> findByTenantIdOrderByUsername(UUID tenantId);
}
