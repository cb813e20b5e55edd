package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.backup.BackupFileIndex;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.RunningJail;
import org.lodge.support.TestData;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Ticks across folders on a backup's files page, in Chromium at 390 px, as the unit's customer: a
 * file (its name holding a comma) ticked in the web root survives a visit to a folder and the
 * way back (through the trail); a file ticked in that folder is kept while the root is shown; one
 * unticked at the root is dropped; the download receives the rest, nothing else. No worker here: the job stays queued with its paths.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class BackupFilesBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    BackupFileIndex index;

    @Test
    void ticksMadeInOneFolderSurviveTheOthersAndAllReachTheDownload() throws Exception {
        data.node("ticks-node", 10L << 30);
        TenantEntity tenant = data.tenant("ticks");
        String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        UUID unit = RunningJail.of(units, jdbc, tenant.getId(), "ticks-node", domain, data.freeAddress());
        UUID backup = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " outcome, snapshot_id) values (:id, :t, :u, :d, 'ticks-node', '/r', now(), true, 'OK', 'abc')")
                .param("id", backup).param("t", tenant.getId()).param("u", unit).param("d", domain).update();
        String root = "/var/www/" + domain;
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        index.store(backup, tenant.getId(), root, List.of(new ResticRepository.Entry(root, "dir", 0, at),
                new ResticRepository.Entry(root + "/index.html", "file", 100, at),
                new ResticRepository.Entry(root + "/a,b.html", "file", 200, at),
                new ResticRepository.Entry(root + "/img", "dir", 0, at),
                new ResticRepository.Entry(root + "/img/logo.png", "file", 300, at),
                new ResticRepository.Entry(root + "/img/icons", "dir", 0, at),
                new ResticRepository.Entry(root + "/img/icons/x.svg", "file", 40, at)));

        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            browser.manage().window().setSize(new Dimension(390, 844));
            chromium.login(data.customer(tenant), TestData.PASSWORD);
            WebDriverWait wait = chromium.waiting(Duration.ofSeconds(30));
            browser.get(chromium.url("/units/" + unit + "/backups/" + backup + "/files"));
            tick(browser, "a,b.html");
            tick(browser, "index.html");

            open(browser, wait, "img/", "path=img");
            assertThat(browser.findElement(By.id("backup-kept")).getText()).contains("a,b.html").contains("index.html");
            tick(browser, "img/logo.png");
            long width = ((Number) ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth")).longValue();
            assertThat(width).as("fits a phone").isLessThanOrEqualTo(390);
            open(browser, wait, "/var/www/" + domain, "path=.");
            assertThat(box(browser, "a,b.html").isSelected()).isTrue();
            assertThat(box(browser, "index.html").isSelected()).isTrue();
            assertThat(browser.findElement(By.id("backup-kept")).getText()).contains("img/logo.png")
                    .doesNotContain("index.html");
            tick(browser, "index.html");
            browser.findElement(By.cssSelector("#backup-files button[type='submit']:not(.link):not(.danger)")).click();
            wait.until(ExpectedConditions.urlMatches(".*/jobs/[0-9a-f-]{36}$"));
        }
        String params = jdbc.sql("select params from provisioning_job where unit_id = :u and kind = 'DOWNLOAD_JAIL_FILES'")
                .param("u", unit).query(String.class).single();
        List<String> paths = new ArrayList<>();
        new ObjectMapper().readTree(params).path("paths").forEach(p -> paths.add(p.asText()));
        assertThat(paths).containsExactlyInAnyOrder("a,b.html", "img/logo.png");
    }

    private static WebElement box(WebDriver browser, String path) {
        return browser.findElement(By.cssSelector("input[name='picked'][value='" + path + "']"));
    }

    private static void tick(WebDriver browser, String path) {
        box(browser, path).click();
    }

    /** A folder's button (in the listing, the trail or "up"): the page of that folder, the ticks carried. */
    private static void open(WebDriver browser, WebDriverWait wait, String label, String urlPart) {
        browser.findElements(By.cssSelector("#backup-files button.link")).stream()
                .filter(b -> b.getText().equals(label)).findFirst().orElseThrow().click();
        wait.until(ExpectedConditions.urlContains(urlPart));
    }
}
