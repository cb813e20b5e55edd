package org.lodge.provisioning.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.JobState;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobRepository extends JpaRepository<JobEntity, UUID> {

    /** One page's jobs; a JPQL string so that Hibernate caches its plan (see UnitRepository.findByIds). */
    @org.springframework.data.jpa.repository.Query("select j from JobEntity j where j.id in :ids")
    List<JobEntity> findByIds(java.util.Collection<UUID> ids);

    Optional<JobEntity> findByIdempotencyKey(String key);

    boolean existsByUnitIdAndStateIn(UUID unitId, List<JobState> states);
}
