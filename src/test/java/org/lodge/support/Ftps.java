package org.lodge.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;

/** FTPS as a unit's customer uses it: a login tried with a password, a page uploaded. */
public record Ftps(UnitCertificates certificates) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Whether the unit's FTPS server accepts the password (a refused connection throws). */
    public boolean login(String ip, String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), TIMEOUT);
        try {
            ftp.connect(ip, 21);
            boolean in = ftp.loginPrivate(user, password);
            if (in) {
                ftp.logout();
            }
            return in;
        } finally {
            ftp.disconnect();
        }
    }

    /** The login, tried again for up to {@code tries} seconds while a freshly started guest's server comes up. */
    public boolean loginWhenUp(String ip, String user, String password, int tries) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return login(ip, user, password);
            } catch (java.net.ConnectException notYet) {
                if (attempt >= tries) {
                    throw notYet;
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Stores {@code content} as {@code file} in the account's web root; false when the login or the upload fails. */
    public boolean upload(String ip, String user, String password, String file, String content) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), TIMEOUT);
        try {
            ftp.connect(ip, 21);
            boolean stored = ftp.loginPrivate(user, password)
                    && ftp.storeFile(file, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            ftp.logout();
            return stored;
        } finally {
            ftp.disconnect();
        }
    }
}
