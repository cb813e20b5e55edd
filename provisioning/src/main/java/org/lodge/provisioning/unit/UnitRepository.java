package org.lodge.provisioning.unit;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface UnitRepository extends JpaRepository<UnitEntity, UUID> {

    @Query("select count(u) > 0 from UnitEntity u where u.domain = :domain")
    boolean existsByDomain(String domain);

    @Query("select u from UnitEntity u order by u.domain")
    List<UnitEntity> findAllByOrderByDomain();

    @Query("select u from UnitEntity u where u.tenantId = :tenantId order by u.domain")
    List<UnitEntity> findByTenantIdOrderByDomain(UUID tenantId);

    @Query("select u from UnitEntity u where u.nodeName = :nodeName")
    List<UnitEntity> findByNodeName(String nodeName);

    /** The version of its template a unit was really made from, as the node's worker found it. */
    @Transactional
    @Modifying
    @Query("update UnitEntity u set u.templateVersion = :version where u.id = :id")
    int recordTemplateVersion(UUID id, String version);

    /** What a reinstalled jail now runs (or, undoing a reinstall, ran before). */
    @Transactional
    @Modifying
    @Query("update UnitEntity u set u.template = :template, u.templateVersion = :version, u.memoryMib = :memoryMib"
            + " where u.id = :id")
    int recordTemplate(UUID id, String template, String version, int memoryMib);
}
