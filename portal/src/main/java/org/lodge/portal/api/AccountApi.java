package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.lodge.portal.account.OwnEmail;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own account: change the password, set the e-mail address, list the API tokens (made
 * and revoked on the web page). Nothing here names a user: it is always the caller's own account.
 */
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

    /** Your e-mail address; null or blank (when setting) for none. */
    public record Email(String email) {
    }

    private final PasswordChange passwords;
    private final ApiTokens tokens;
    private final OwnEmail emails;

    public AccountApi(PasswordChange passwords, ApiTokens tokens, OwnEmail emails) {
        this.passwords = passwords;
        this.tokens = tokens;
        this.emails = emails;
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

    @Operation(summary = "Your e-mail address (null: none). Mail sent to it comes in your language and time zone.")
    @GetMapping("/email")
    public Email email(@AuthenticationPrincipal PortalUser user) {
        return new Email(emails.of(user.getUsername()));
    }

    @Operation(summary = "Set your own e-mail address (one plain address, at most 254 characters); null or blank"
            + " removes it. Not with a read-only token. Audited.")
    @PutMapping("/email")
    public Email setEmail(@AuthenticationPrincipal PortalUser user, @RequestBody Email body, HttpServletRequest request) {
        return new Email(emails.set(user.getUsername(), body.email(), request.getRemoteAddr()));
    }

    @Operation(summary = "Your API tokens: name, scope, expiry, last use; never the tokens themselves.")
    @GetMapping("/tokens")
    public List<ApiTokens.TokenView> tokens(@AuthenticationPrincipal PortalUser user) {
        return tokens.list(user.getUsername());
    }
}
