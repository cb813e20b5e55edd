package org.lodge.provisioning.jail.step;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lodge.provisioning.jail.JailTemplates;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.WelcomePage;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Proves PHP runs in a jail whose template serves PHP: sends a fresh random nonce to the jail's
 * index.php and expects back the SHA-256 the page computes of it (see {@link WelcomePage#php}).
 * A template without PHP has nothing to prove here: the step says so and passes.
 */
@Component
public class TestPhp extends UnitStep {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final Pattern PROOF = Pattern.compile("<!-- lodge-proof ([0-9a-f]{64}) php ([0-9A-Za-z.~+-]+) -->");

    private final ServiceProbe probe;
    private final JailTemplates templates;
    private final SecureRandom random = new SecureRandom();

    public TestPhp(UnitRepository units, ServiceProbe probe, JailTemplates templates) {
        super(units);
        this.probe = probe;
        this.templates = templates;
    }

    @Override
    public String name() {
        return "test-php";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public Duration timeout() {
        return PATIENCE.plusSeconds(30);
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        UnitEntity jail = unit(ctx);
        JailTemplates.Template template = templates.of(jail);
        if (!template.servesPhp()) {
            ctx.log(JobWords.STATIC_ONLY.with(template.name()));
            return;
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        String path = "/index.php?" + WelcomePage.PROOF_PARAMETER + "=" + nonce;
        ServiceProbe.Page page = probe.awaitPage(jail.ipv4(), jail.domain(), path, PATIENCE);
        if (page.status() != 200) {
            throw new IllegalStateException("GET http://" + jail.ipv4() + "/index.php answered " + page.status());
        }
        Matcher proof = PROOF.matcher(page.body());
        if (!proof.find()) {
            throw new IllegalStateException("GET http://" + jail.ipv4() + "/index.php did not run PHP (no proof in the page)");
        }
        if (!proof.group(1).equals(expected(nonce))) {
            throw new IllegalStateException("index.php answered a wrong SHA-256 for the nonce");
        }
        ctx.log(JobWords.PHP_OK.with(jail.ipv4(), proof.group(2)));
    }

    /** What the page must print: SHA-256 of "lodge:" + nonce, in hex. */
    public static String expected(String nonce) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("lodge:" + nonce).getBytes(StandardCharsets.UTF_8)));
    }
}
