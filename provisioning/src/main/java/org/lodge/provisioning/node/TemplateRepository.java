package org.lodge.provisioning.node;

import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface TemplateRepository extends JpaRepository<TemplateEntity, TemplateEntity.Key> {

    @Query("select t from TemplateEntity t where t.key.nodeName = :nodeName order by t.kind, t.key.name")
    List<TemplateEntity> findByKeyNodeNameOrderByKindAscKeyNameAsc(String nodeName);

    @Query("select t from TemplateEntity t where t.key.nodeName = :nodeName and t.kind = :kind order by t.key.name")
    List<TemplateEntity> findByKeyNodeNameAndKindOrderByKeyName(String nodeName, UnitKind kind);

    default Optional<TemplateEntity> find(String nodeName, String name) {
        return findById(new TemplateEntity.Key(nodeName, name));
    }
}
