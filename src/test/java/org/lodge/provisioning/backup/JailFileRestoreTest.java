package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.FailureInjection;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Single files and folders of a real jail backup, one jail for every assertion: files written over
 * FTPS → backup → a file deleted, a folder changed, another file changed → bad paths refused
 * before any job, a path missing from the backup KO, a restore that fails after its swap undone,
 * the backup's file index listed folder by folder (bad folders refused), then the file and the
 * folder restored in place, picked on the files page in Chromium (content
 * and owners back, the other files untouched, HTTP serving) → a tar.zst download whose bytes unpack to exactly the chosen files.
 */
@LiveNodeTest
class JailFileRestoreTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    JailHost host;

    @Test
    void restoresAndDownloadsChosenFilesOfABackupAndLeavesTheRestAsItIs() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "fr-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = "10.231.77.234";
        String created = api.createJail(api.newTenant("files"), "64M", domain, ip);
        String unit = api.awaitOk(created).path("unitId").asText();
        JsonNode credentials = api.json(api.post("/api/jobs/" + created + "/credentials", null));
        FtpsClient ftp = login(ip, credentials);
        JailBackupTest.put(ftp, "keep.html", "keep v1");
        JailBackupTest.put(ftp, "gone.html", "gone v1");
        JailBackupTest.put(ftp, FailureInjection.FILES_PATH, "undo v1");
        assertThat(ftp.makeDirectory("blog")).isTrue();
        JailBackupTest.put(ftp, "blog/a.txt", "a v1");
        JailBackupTest.put(ftp, "blog/b.txt", "b v1");
        Path site = host.mountPoint(libvirtName(unit)).resolve("var/www/" + domain);
        int owner = (Integer) Files.getAttribute(site.resolve("blog/a.txt"), "unix:uid");

        String backupJob = api.json(api.post("/api/units/" + unit + "/backups", null)).path("id").asText();
        assertThat(api.awaitEnd(backupJob, PATIENCE).path("state").asText()).as(api.log(backupJob)).isEqualTo("OK");
        String files = "/api/units/" + unit + "/backups/" + backupJob + "/files/";

        // The verified backup's file index lists what the site held, folder by folder, sizes and times from restic.
        assertThat(api.log(backupJob)).contains("[index-files]").contains("file index of /var/www/" + domain + " stored");
        String listing = files.substring(0, files.length() - 1);
        ResponseEntity<String> index = api.get(listing);
        assertThat(index.getStatusCode().value()).as(index.getBody()).isEqualTo(200);
        JsonNode top = api.json(index);
        assertThat(top.path("path").asText()).as(index.getBody()).isEqualTo(".");
        assertThat(top.path("entries").findValuesAsText("name")).as("folders first, then by name")
                .containsExactly("blog", "gone.html", "index.html", "keep.html", FailureInjection.FILES_PATH);
        assertThat(top.path("entries").get(0).path("type").asText()).isEqualTo("dir");
        JsonNode blog = api.json(api.get(listing + "?path=blog"));
        assertThat(blog.path("parent").asText()).isEqualTo(".");
        assertThat(blog.path("entries").findValuesAsText("path")).containsExactly("blog/a.txt", "blog/b.txt");
        assertThat(blog.path("entries").get(0).path("size").asLong()).isEqualTo(4);
        assertThat(java.time.Instant.parse(blog.path("entries").get(0).path("mtime").asText()))
                .isBetween(java.time.Instant.now().minus(Duration.ofHours(1)), java.time.Instant.now());
        assertThat(api.get(listing + "?path=../etc").getStatusCode().value()).isEqualTo(400);
        assertThat(api.get(listing + "?path=../etc").getBody()).contains("climbs up");
        assertThat(api.get(listing + "?path=nope").getStatusCode().value()).isEqualTo(404);
        assertThat(api.get(listing + "?path=keep.html").getStatusCode().value()).as("a file is no folder").isEqualTo(404);

        JailBackupTest.put(ftp, "keep.html", "keep v2");
        JailBackupTest.put(ftp, FailureInjection.FILES_PATH, "undo v2");
        assertThat(ftp.deleteFile("gone.html")).isTrue();
        JailBackupTest.put(ftp, "blog/a.txt", "a v2");
        assertThat(ftp.deleteFile("blog/b.txt")).isTrue();
        JailBackupTest.put(ftp, "blog/new.txt", "new since");
        ftp.logout();
        ftp.disconnect();

        // Refused before any job exists, each with its reason.
        long jobs = jobsOf(unit);
        for (var bad : Map.of("../etc/passwd", "climbs up", "/etc/passwd", "outside the site",
                "a\u0000b", "control character", "", "at least one").entrySet()) {
            ResponseEntity<String> refused = api.post(files + "restore", Map.of("paths", List.of(bad.getKey())));
            assertThat(refused.getStatusCode().value()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.getBody()).contains(bad.getValue());
        }
        assertThat(api.post(files + "download", Map.of("paths", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i",
                "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"))).getBody()).contains("at most 20");
        assertThat(jobsOf(unit)).isEqualTo(jobs);

        // A path the backup lacks: KO, named, nothing touched.
        String missing = queued(api, api.post(files + "restore", Map.of("paths", List.of("gone.html", "nope.html"))));
        assertThat(api.awaitEnd(missing, PATIENCE).path("state").asText()).isEqualTo("KO");
        assertThat(api.log(missing)).contains("not in the backup").contains("/nope.html");
        assertThat(probe.get(ip, domain, "/gone.html").status()).isEqualTo(404);

        // Swapped in, HTTP passed, then a failure: the current versions are back.
        String undone = queued(api, api.post(files + "restore", Map.of("paths",
                List.of("keep.html", FailureInjection.FILES_PATH, "blog"))));
        assertThat(api.awaitEnd(undone, PATIENCE).path("state").asText()).isEqualTo("KO");
        assertThat(api.log(undone)).contains("[restore-files]").contains("restored in place")
                .contains("files are as they were");
        assertThat(probe.get(ip, domain, "/keep.html").body()).isEqualTo("keep v2");
        assertThat(probe.get(ip, domain, "/" + FailureInjection.FILES_PATH).body()).isEqualTo("undo v2");
        assertThat(probe.get(ip, domain, "/blog/new.txt").body()).isEqualTo("new since");
        assertThat(Files.exists(site.getParent().getParent().getParent().resolve(RestoreJailFiles.ASIDE)
                .resolve(undone))).isFalse();

        // The deleted file and the changed folder come back; the rest stays as it is now. Picked on the
        // files page, 390 px wide: the file ticked in the listing (kept through a visit to blog/), the folder's path typed.
        String restore = pickAndRestore("/units/" + unit + "/backups/" + backupJob + "/files", "gone.html",
                "/var/www/" + domain + "/blog/");
        assertThat(api.awaitEnd(restore, PATIENCE).path("state").asText()).as(api.log(restore)).isEqualTo("OK");
        assertThat(api.log(restore)).contains("[test-http]").contains("[drop-previous-files]");
        assertThat(probe.get(ip, domain, "/gone.html").body()).isEqualTo("gone v1");
        assertThat(probe.get(ip, domain, "/blog/a.txt").body()).isEqualTo("a v1");
        assertThat(probe.get(ip, domain, "/blog/b.txt").body()).isEqualTo("b v1");
        assertThat(probe.get(ip, domain, "/blog/new.txt").status()).as("a folder comes back as backed up").isEqualTo(404);
        assertThat(probe.get(ip, domain, "/keep.html").body()).isEqualTo("keep v2");
        assertThat(probe.get(ip, domain, "/" + FailureInjection.FILES_PATH).body()).isEqualTo("undo v2");
        assertThat((Integer) Files.getAttribute(site.resolve("blog/a.txt"), "unix:uid")).isEqualTo(owner);
        assertThat((Integer) Files.getAttribute(site.resolve("blog"), "unix:uid")).isEqualTo(owner);

        // The download: a tar.zst of exactly the chosen files as backed up.
        String archiveJob = queued(api, api.post(files + "download", Map.of("paths", List.of("keep.html", "blog"))));
        assertThat(api.awaitEnd(archiveJob, PATIENCE).path("state").asText()).as(api.log(archiveJob)).isEqualTo("OK");
        JsonNode listed = api.json(api.get("/api/units/" + unit + "/backups/downloads"));
        assertThat(listed).singleElement().satisfies(d -> assertThat(d.path("jobId").asText()).isEqualTo(archiveJob));
        ResponseEntity<byte[]> archive = rest.withBasicAuth("admin", "admin-password-for-tests").exchange(
                "/api/units/" + unit + "/backups/downloads/" + archiveJob, HttpMethod.GET, null, byte[].class);
        assertThat(archive.getStatusCode().value()).isEqualTo(200);
        assertThat(archive.getHeaders().getContentType()).hasToString("application/zstd");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive.getBody())))
                .isEqualTo(archive.getHeaders().getFirst("X-Checksum-SHA256"))
                .isEqualTo(listed.get(0).path("sha256").asText());
        assertThat(unpack(archive.getBody())).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "blog/a.txt", "a v1", "blog/b.txt", "b v1", "keep.html", "keep v1")));

        api.awaitOk(api.act(unit, "delete"));
    }

    /** In Chromium: a file ticked, into a folder of the listing and back up (still ticked), a path typed, restore; the job's id. */
    private String pickAndRestore(String page, String picked, String typed) throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            browser.manage().window().setSize(new Dimension(390, 844));
            chromium.login("admin", "admin-password-for-tests");
            browser.get(chromium.url(page));
            By box = By.cssSelector("input[name='picked'][value='" + picked + "']");
            browser.findElement(box).click();
            folderButton(browser, "blog/").click();
            WebDriverWait wait = chromium.waiting(Duration.ofSeconds(30));
            wait.until(ExpectedConditions.urlContains("path=blog"));
            assertThat(browser.findElement(By.id("backup-tree")).getText()).contains("a.txt").contains("b.txt");
            assertThat(browser.findElement(By.id("backup-kept")).getText()).as("ticked in the web root").contains(picked);
            long width = ((Number) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth")).longValue();
            assertThat(width).as("fits a phone").isLessThanOrEqualTo(390);
            browser.findElement(By.cssSelector("#backup-tree tbody tr:first-child button.link")).click();
            wait.until(ExpectedConditions.urlContains("path=."));
            assertThat(browser.findElement(box).isSelected()).as("the tick survived the visit to blog/").isTrue();
            browser.findElement(By.name("paths")).sendKeys(typed);
            browser.findElement(By.cssSelector("#backup-files button.danger")).click();
            wait.until(ExpectedConditions.urlMatches(".*/jobs/[0-9a-f-]{36}$"));
            return browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        }
    }

    /** Folders are buttons of the page's form (the ticks travel with them). */
    private static org.openqa.selenium.WebElement folderButton(WebDriver browser, String label) {
        return browser.findElements(By.cssSelector("#backup-files button.link")).stream()
                .filter(b -> b.getText().equals(label)).findFirst().orElseThrow();
    }

    private long jobsOf(String unit) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = cast(:u as uuid)").param("u", unit)
                .query(Long.class).single();
    }

    private static String queued(Api api, ResponseEntity<String> response) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return api.json(response).path("id").asText();
    }

    private FtpsClient login(String ip, JsonNode credentials) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(credentials.path("username").asText(), credentials.path("password").asText())).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    private String libvirtName(String unit) {
        return jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", unit)
                .query(String.class).single();
    }

    /** The archive unpacked by the real zstd and tar programs: each regular file and its content. */
    private static TreeMap<String, String> unpack(byte[] archive) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("lodge-download");
        try {
            Files.write(dir.resolve("a.tar.zst"), archive);
            Path out = Files.createDirectory(dir.resolve("out"));
            Process tar = new ProcessBuilder("/usr/bin/tar", "--extract", "--zstd", "--file", dir.resolve("a.tar.zst")
                    .toString(), "--directory", out.toString()).redirectErrorStream(true).start();
            String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(tar.waitFor()).as(said).isZero();
            TreeMap<String, String> found = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    found.put(out.relativize(file).toString(), Files.readString(file));
                }
            }
            return found;
        } finally {
            JailSnapshots.deleteTree(dir);
        }
    }
}
