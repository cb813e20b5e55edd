package org.lodge.portal.account;

import static org.lodge.provisioning.InvalidInputException.quote;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Objects;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's own e-mail address (V38: mail sent to it is written in their language and time zone),
 * set from the account page and the API alike: one plain address by Jakarta Mail's strict parser,
 * or blank to remove it; every change is audited.
 */
@Service
public class OwnEmail {

    /** The longest address the column (and RFC 5321's path limit) holds. */
    public static final int MAX_LENGTH = 254;

    private final UserRepository users;
    private final AuditLog audit;

    public OwnEmail(UserRepository users, AuditLog audit) {
        this.users = users;
        this.audit = audit;
    }

    /** The saved address, or null. */
    public String of(String username) {
        return user(username).getEmail();
    }

    /** Sets the address (null or blank removes it); answers what is saved now. */
    @Transactional
    public String set(String username, String raw, String remote) {
        String address = check(raw);
        UserEntity user = user(username);
        if (!Objects.equals(user.getEmail(), address)) {
            user.setEmail(address);
            users.save(user);
            audit.account(username, AuditLog.EMAIL_CHANGED, address == null ? "e-mail address removed"
                    : "e-mail address set to " + address, remote);
        }
        return address;
    }

    /** The address as it will be saved (null: none), or the refusal: too long, or not one plain address. */
    public static String check(String raw) {
        String address = raw == null ? "" : raw.strip();
        if (address.isEmpty()) {
            return null;
        }
        if (address.length() > MAX_LENGTH) {
            throw InvalidRequestException.of("email", "an e-mail address has at most " + MAX_LENGTH + " characters",
                    "email.too-long", MAX_LENGTH);
        }
        if (!isAddress(address)) {
            throw InvalidRequestException.of("email", quote(address) + " is not an e-mail address", "email.invalid",
                    quote(address));
        }
        return address;
    }

    /** One plain address (Jakarta Mail's strict parser), no display name or list. */
    private static boolean isAddress(String address) {
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            return parsed.getPersonal() == null && address.equals(parsed.getAddress());
        } catch (AddressException e) {
            return false;
        }
    }

    private UserEntity user(String username) {
        return users.findByUsername(username).orElseThrow(() -> NotFoundException.of("user", username));
    }
}
