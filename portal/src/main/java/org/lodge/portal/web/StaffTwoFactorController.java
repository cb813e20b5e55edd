package org.lodge.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.lodge.portal.account.TwoFactorOff;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.provisioning.NotFoundException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff turn off a customer's two-factor login (phone and recovery codes lost) from the tenant's page. */
@Controller
public class StaffTwoFactorController {

    private final TenantService tenants;
    private final TwoFactorOff twoFactorOff;
    private final MessageSource messages;

    public StaffTwoFactorController(TenantService tenants, TwoFactorOff twoFactorOff, MessageSource messages) {
        this.tenants = tenants;
        this.twoFactorOff = twoFactorOff;
        this.messages = messages;
    }

    /** Staff only (the /tenants/** URL rule); the user must belong to the tenant of the URL. */
    @PostMapping("/tenants/{id}/users/{userId}/reset-2fa")
    public String reset(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID userId,
                        HttpServletRequest request, RedirectAttributes redirect) {
        UserEntity target = tenants.usersOf(id).stream().filter(u -> u.getId().equals(userId)).findFirst()
                .orElseThrow(() -> NotFoundException.of("user", userId));
        twoFactorOff.reset(target, user.getUsername(), request.getRemoteAddr());
        redirect.addFlashAttribute("message", messages.getMessage("selfservice.2fa.reset.done", null,
                LocaleContextHolder.getLocale()));
        return "redirect:/tenants/" + id;
    }
}
