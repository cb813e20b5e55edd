package org.lodge.provisioning.node;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VmTemplateRepository extends JpaRepository<VmTemplateEntity, VmTemplateEntity.Key> {

    List<VmTemplateEntity> findByKeyNodeNameOrderByKeyName(String nodeName);

    default Optional<VmTemplateEntity> find(String nodeName, String name) {
        return findById(new VmTemplateEntity.Key(nodeName, name));
    }
}
