package org.lodge.provisioning.unit.step;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.apache.commons.net.ftp.FTP;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.springframework.stereotype.Component;

/**
 * Proves the FTP account end to end, over explicit TLS as customers must use it: the server's
 * certificate chains to the node CA and names the unit's domain; log in with the new credentials,
 * upload a file over an encrypted data connection, see it in the listing, fetch it back over HTTP
 * from the document root, then remove it.
 */
@Component
public class TestFtp extends UnitStep {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CreateFtpAccount account;
    private final ServiceProbe probe;
    private final UnitCertificates certificates;

    public TestFtp(UnitRepository units, CreateFtpAccount account, ServiceProbe probe, UnitCertificates certificates) {
        super(units);
        this.account = account;
        this.probe = probe;
        this.certificates = certificates;
    }

    @Override
    public String name() {
        return "test-ftp";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) throws IOException, InterruptedException {
        UnitEntity unit = unit(ctx);
        String file = "lodge-probe-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String content = "probe " + UUID.randomUUID() + "\n";
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), TIMEOUT);
        try {
            connectWithPatience(ftp, unit.ipv4());
            ftp.requireCertificateFor(unit.domain());
            ctx.log(JobWords.FTP_TLS.with(ftp.describeTls(), unit.domain()));
            if (!ftp.loginPrivate(unit.ftpUser(), account.password(ctx))) {
                throw new IllegalStateException("FTP login as " + unit.ftpUser() + " refused: " + ftp.getReplyString().strip());
            }
            ctx.log(JobWords.FTP_LOGIN.with(unit.ftpUser(), unit.ipv4()));
            ftp.setSoTimeout((int) TIMEOUT.toMillis());
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            if (!ftp.storeFile(file, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
                throw new IllegalStateException("FTP upload of " + file + " failed: " + ftp.getReplyString().strip());
            }
            String[] names = ftp.listNames();
            if (names == null || Arrays.stream(names).noneMatch(name -> name.endsWith(file))) {
                throw new IllegalStateException("uploaded " + file + " is missing from the FTP listing");
            }
            ctx.log(JobWords.FTP_UPLOADED.with(file, content.length()));
            ServiceProbe.Page page = probe.get(unit.ipv4(), unit.domain(), "/" + file);
            if (page.status() != 200 || !page.body().equals(content)) {
                throw new IllegalStateException("GET /" + file + " answered " + page.status() + " without the uploaded content");
            }
            ctx.log(JobWords.FTP_SERVED.with(file));
            if (!ftp.deleteFile(file)) {
                throw new IllegalStateException("FTP delete of " + file + " failed: " + ftp.getReplyString().strip());
            }
            ctx.log(JobWords.FTP_TEST_REMOVED.with());
            ftp.logout();
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }

    private static void connectWithPatience(FtpsClient ftp, String host) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                ftp.connect(host, 21);
                return;
            } catch (SSLException e) {
                // A certificate the node CA did not sign, or no TLS at all: waiting will not help.
                throw e;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
