package org.lodge;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module boundaries hold: provisioning never reaches into portal, modules use each other
 * only through their root package, and there are no cycles. Writes the module docs too.
 */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(LodgeApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
