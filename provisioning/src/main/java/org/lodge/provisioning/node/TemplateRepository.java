package org.lodge.provisioning.node;

import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TemplateRepository extends JpaRepository<TemplateEntity, TemplateEntity.Key> {

    List<TemplateEntity> findByKeyNodeNameOrderByKindAscKeyNameAsc(String nodeName);

    List<TemplateEntity> findByKeyNodeNameAndKindOrderByKeyName(String nodeName, UnitKind kind);

    default Optional<TemplateEntity> find(String nodeName, String name) {
        return findById(new TemplateEntity.Key(nodeName, name));
    }
}
