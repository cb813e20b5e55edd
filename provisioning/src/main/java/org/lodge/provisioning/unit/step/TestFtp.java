package org.lodge.provisioning.unit.step;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/**
 * Proves the FTP account end to end: log in with the new credentials, upload a file, see it in
 * the listing, fetch it back over HTTP from the document root, then remove it.
 */
@Component
public class TestFtp extends UnitStep {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CreateFtpAccount account;
    private final ServiceProbe probe;

    public TestFtp(UnitRepository units, CreateFtpAccount account, ServiceProbe probe) {
        super(units);
        this.account = account;
        this.probe = probe;
    }

    @Override
    public String name() {
        return "test-ftp";
    }

    @Override
    public void execute(JobContext ctx) throws IOException, InterruptedException {
        UnitEntity unit = unit(ctx);
        String file = "lodge-probe-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
        String content = "probe " + UUID.randomUUID() + "\n";
        FTPClient ftp = new FTPClient();
        ftp.setConnectTimeout((int) TIMEOUT.toMillis());
        ftp.setDefaultTimeout((int) TIMEOUT.toMillis());
        try {
            connectWithPatience(ftp, unit.ipv4());
            if (!ftp.login(unit.ftpUser(), account.password(ctx))) {
                throw new IllegalStateException("FTP login as " + unit.ftpUser() + " refused: " + ftp.getReplyString().strip());
            }
            ctx.log("FTP login as " + unit.ftpUser() + " on " + unit.ipv4() + ":21 accepted");
            ftp.setSoTimeout((int) TIMEOUT.toMillis());
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            if (!ftp.storeFile(file, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
                throw new IllegalStateException("FTP upload of " + file + " failed: " + ftp.getReplyString().strip());
            }
            String[] names = ftp.listNames();
            if (names == null || Arrays.stream(names).noneMatch(name -> name.endsWith(file))) {
                throw new IllegalStateException("uploaded " + file + " is missing from the FTP listing");
            }
            ctx.log("uploaded " + file + " (" + content.length() + " bytes) and found it in the listing");
            ServiceProbe.Page page = probe.get(unit.ipv4(), unit.domain(), "/" + file);
            if (page.status() != 200 || !page.body().equals(content)) {
                throw new IllegalStateException("GET /" + file + " answered " + page.status() + " without the uploaded content");
            }
            ctx.log("GET /" + file + " over HTTP returned the uploaded content");
            if (!ftp.deleteFile(file)) {
                throw new IllegalStateException("FTP delete of " + file + " failed: " + ftp.getReplyString().strip());
            }
            ctx.log("test file removed");
            ftp.logout();
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }

    private static void connectWithPatience(FTPClient ftp, String host) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                ftp.connect(host, 21);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
