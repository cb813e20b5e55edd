package org.lodge.provisioning.unit.step;

import java.security.SecureRandom;
import java.util.UUID;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.secret.SecretCipher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Chooses the FTP password once per job. It waits in {@code job_secret}, sealed by
 * {@link SecretCipher}, until the job page reveals it (once); a revived job reuses it instead of
 * making another.
 */
@Component
public class CreateFtpAccount extends UnitStep {

    // No look-alike characters: the password is read off a screen once.
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 20;

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final SecureRandom random = new SecureRandom();

    public CreateFtpAccount(UnitRepository units, JdbcClient jdbc, SecretCipher cipher) {
        super(units);
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    @Override
    public String name() {
        return "ftp-account";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity unit = unit(ctx);
        int inserted = jdbc.sql("insert into job_secret (job_id, ftp_user, ftp_password_sealed) values (:j, :u, :p)"
                        + " on conflict (job_id) do nothing")
                .param("j", ctx.jobId()).param("u", unit.ftpUser()).param("p", cipher.seal(newPassword())).update();
        ctx.log((inserted == 1 ? JobWords.FTP_NEW_PASSWORD : JobWords.FTP_KEEPS_PASSWORD).with(unit.ftpUser()));
    }

    @Override
    public void compensate(JobContext ctx) {
        forget(ctx.jobId());
    }

    /** Drops the clear password a job was keeping (its compensation, and the doctor's repair). */
    public void forget(UUID jobId) {
        jdbc.sql("delete from job_secret where job_id = :j").param("j", jobId).update();
    }

    private String newPassword() {
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /** The password for the unit's files (as a hash) and the login test, read inside the worker only. */
    public String password(JobContext ctx) {
        return jdbc.sql("select ftp_password_sealed from job_secret where job_id = :j").param("j", ctx.jobId())
                .query(String.class).optional().map(cipher::open)
                .orElseThrow(() -> new IllegalStateException("the FTP password of this job is gone"));
    }
}
