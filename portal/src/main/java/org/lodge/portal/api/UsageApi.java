package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.UsageSeries;
import org.lodge.provisioning.UsageService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A unit's usage as chart data. The same answer under the API (HTTP Basic) and under the web
 * pages (the session of the unit page, whose charts fetch it): another tenant's unit is a 404.
 */
@RestController
@Tag(name = "units")
public class UsageApi {

    private final UsageService usage;

    public UsageApi(UsageService usage) {
        this.usage = usage;
    }

    @Operation(summary = "A unit's usage over the last hour, day, week or month (range=hour|day|week|month): "
            + "CPU in % of one core, memory and disk used in bytes, traffic and disk I/O in bytes per second.")
    @GetMapping({"/api/units/{id}/usage", "/units/{id}/usage"})
    public UsageSeries usage(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                             @RequestParam(defaultValue = "hour") String range) {
        return usage.usage(id, range, user.scope());
    }
}
