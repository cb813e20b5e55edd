package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.lodge.portal.account.PasswordChange;
import org.lodge.portal.security.ApiTokenFilter;
import org.lodge.portal.security.ApiTokens;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own account: change the password, list the API tokens (made and revoked on the web page). */
@RestController
@RequestMapping("/api/account")
@Tag(name = "account")
public class AccountApi {

    public record NewPassword(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "NewPassword[***]";
        }
    }

    private final PasswordChange passwords;
    private final ApiTokens tokens;

    public AccountApi(PasswordChange passwords, ApiTokens tokens) {
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @Operation(summary = "Change your own password; the current one is required (not with an API token). 204 when done.")
    @PostMapping("/password")
    public ResponseEntity<Void> changePassword(@AuthenticationPrincipal PortalUser user, Authentication authentication,
                                               @RequestBody NewPassword body, HttpServletRequest request) {
        if (authentication instanceof ApiTokenFilter.TokenAuthentication) {
            // A token is not the password: whoever holds one must not be able to take the account over.
            throw InvalidRequestException.of("currentPassword", "log in with your password to change it, not with a token",
                    "password.token");
        }
        passwords.change(user.getUsername(), body.currentPassword(), body.newPassword(), request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Your API tokens: name, scope, expiry, last use; never the tokens themselves.")
    @GetMapping("/tokens")
    public List<ApiTokens.TokenView> tokens(@AuthenticationPrincipal PortalUser user) {
        return tokens.list(user.getUsername());
    }
}
