package org.lodge.provisioning.jail.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailShadow;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Puts the job's new FTP password (chosen by {@link CreateFtpAccount}) into a running jail: its
 * SHA-512 crypt hash replaces the account's in the jail's {@code /etc/shadow}, which pure-ftpd reads
 * at every login, so no restart is needed. The previous file waits as {@code /etc/shadow-} until
 * the new password is proven; undoing the step puts it back.
 */
@Component
public class SetJailFtpPassword extends UnitStep {

    private final JailHost host;
    private final CreateFtpAccount account;

    public SetJailFtpPassword(UnitRepository jails, JailHost host, CreateFtpAccount account) {
        super(jails);
        this.host = host;
        this.account = account;
    }

    @Override
    public String name() {
        return "set-ftp-password";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        if (!host.isRunning(jail) || !host.isMounted(jail)) {
            throw new IllegalStateException("jail " + jail.domain() + " is not running: start it, then ask again");
        }
        String password = account.password(ctx);
        try (JailShadow shadow = JailShadow.open(host.mountPoint(jail))) {
            String current = shadow.read(JailShadow.CURRENT)
                    .orElseThrow(() -> new IllegalStateException("the jail has no /etc/shadow"));
            String hash = JailShadow.hashOf(current, jail.ftpUser()).orElseThrow(() -> new IllegalStateException(
                    "the jail's /etc/shadow has no line for " + jail.ftpUser()));
            if (opens(hash, password)) {
                ctx.log(JobWords.PASSWORD_IN_PLACE.with(jail.ftpUser()));
                return;
            }
            shadow.write(JailShadow.PREVIOUS, current, JailShadow.CURRENT);
            String newHash = Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8));
            shadow.write(JailShadow.CURRENT, JailShadow.withHash(current, jail.ftpUser(), newHash), JailShadow.CURRENT);
        }
        // No paths in the line: customers read it too (and would see them masked).
        ctx.log(JobWords.PASSWORD_REPLACED.with(jail.ftpUser()));
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        Optional<UnitEntity> jail = unitIfPresent(ctx);
        if (jail.isEmpty() || !host.isMounted(jail.get())) {
            ctx.warn(JobWords.PASSWORD_NOT_MOUNTED.with());
            return;
        }
        try (JailShadow shadow = JailShadow.open(host.mountPoint(jail.get()))) {
            Optional<String> previous = shadow.read(JailShadow.PREVIOUS);
            if (previous.isEmpty()) {
                ctx.log(JobWords.NO_PREVIOUS_PASSWORD.with());
                return;
            }
            shadow.write(JailShadow.CURRENT, previous.get(), JailShadow.CURRENT);
            shadow.delete(JailShadow.PREVIOUS);
        }
        ctx.log(JobWords.PASSWORD_PUT_BACK.with(jail.get().ftpUser()));
    }

    /** Whether {@code password} matches a crypt(3) SHA-512 {@code hash}. */
    static boolean opens(String hash, String password) {
        if (!hash.startsWith("$6$")) {
            return false;
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), hash).equals(hash);
    }
}
