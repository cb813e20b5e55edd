package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.lodge.portal.account.TwoFactorOff;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.team.TeamService;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Managing another person's account through the API, as the web's tenant and team pages do:
 * staff reset anybody's two-factor login, a tenant administrator only their own tenant's users
 * (another tenant's user answers 404, like a missing one: TeamService); audited by TwoFactorOff.
 */
@RestController
@Tag(name = "team")
public class TeamApi {

    private final TwoFactorOff twoFactorOff;
    private final TeamService team;
    private final UserRepository users;

    public TeamApi(TwoFactorOff twoFactorOff, TeamService team, UserRepository users) {
        this.twoFactorOff = twoFactorOff;
        this.team = team;
        this.users = users;
    }

    @PostMapping("/api/users/{id}/reset-2fa")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Turn off a user's two-factor login (phone and recovery codes lost); all their sessions end."
            + " Staff: any user; a tenant administrator: their own tenant's users (others answer 404). Audited. 204 when done.")
    public void resetTwoFactor(@AuthenticationPrincipal PortalUser caller, @PathVariable UUID id,
                               HttpServletRequest request) {
        if (caller.isStaff()) {
            twoFactorOff.reset(users.findById(id).orElseThrow(() -> NotFoundException.of("user", id)),
                    caller.getUsername(), request.getRemoteAddr());
        } else if (caller.isTenantAdmin()) {
            team.resetTwoFactor(caller, id, request.getRemoteAddr());
        } else {
            throw new AccessDeniedException("only staff and tenant administrators reset another user's two-factor login");
        }
    }
}
