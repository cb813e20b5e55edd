package org.lodge.provisioning.jail.step;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailShadow;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Last step of a password reset, once the new password has opened a real FTP session: proves
 * that the server still refuses a password that is not the new one (a real FTPS login with a
 * random one, answered 530) and that the previous hash is no longer the account's, then removes
 * the previous file, so the old password opens nothing and leaves no trace in the jail.
 */
@Component
public class ForgetOldFtpPassword extends UnitStep {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JailHost host;
    private final UnitCertificates certificates;
    private final SecureRandom random = new SecureRandom();

    public ForgetOldFtpPassword(UnitRepository jails, JailHost host, UnitCertificates certificates) {
        super(jails);
        this.host = host;
        this.certificates = certificates;
    }

    @Override
    public String name() {
        return "forget-old-password";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        try (JailShadow shadow = JailShadow.open(host.mountPoint(jail))) {
            String current = JailShadow.hashOf(shadow.read(JailShadow.CURRENT).orElse(""), jail.ftpUser()).orElse("");
            String previous = shadow.read(JailShadow.PREVIOUS)
                    .flatMap(file -> JailShadow.hashOf(file, jail.ftpUser())).orElse(null);
            if (previous != null && previous.equals(current)) {
                throw new IllegalStateException("the account's hash in /etc/shadow is still the previous one");
            }
            refusesAnotherPassword(ctx, jail);
            shadow.delete(JailShadow.PREVIOUS);
        }
        ctx.log(JobWords.OLD_PASSWORD_REMOVED.with());
    }

    private void refusesAnotherPassword(JobContext ctx, UnitEntity jail) throws IOException {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), TIMEOUT);
        try {
            ftp.connect(jail.ipv4(), 21);
            String wrong = HexFormat.of().formatHex(bytes(16));
            if (ftp.loginPrivate(jail.ftpUser(), wrong)) {
                throw new IllegalStateException("FTP login as " + jail.ftpUser() + " with a random password was accepted");
            }
            ctx.log(JobWords.OTHER_PASSWORD_REFUSED.with(jail.ftpUser(), ftp.getReplyCode()));
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
