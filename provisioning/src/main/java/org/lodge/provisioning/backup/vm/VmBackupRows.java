package org.lodge.provisioning.backup.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The VM part of a backup's row (migration V34): its kind and the unit's facts. */
@Component
public class VmBackupRows {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public VmBackupRows(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void facts(UUID backupId, VmFacts facts) {
        try {
            jdbc.sql("update backup set unit_kind = 'VM', vm_facts = cast(:f as jsonb) where id = :id")
                    .param("f", json.writeValueAsString(facts)).param("id", backupId).update();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The facts of a VM backup; empty for a jail's backup or one that failed before its capture. */
    public Optional<VmFacts> facts(UUID backupId) {
        return jdbc.sql("select cast(vm_facts as text) from backup where id = :id and vm_facts is not null")
                .param("id", backupId).query(String.class).optional().map(text -> {
                    try {
                        return json.readValue(text, VmFacts.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("the facts of backup " + backupId + " are unreadable", e);
                    }
                });
    }
}
