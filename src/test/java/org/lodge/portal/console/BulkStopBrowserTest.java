package org.lodge.portal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.Api;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Staff in Debian's Chromium select three running jails on the units page (searched by their
 * common prefix), press "stop", and the batch page follows the three stop jobs live until all
 * three are OK; the jails are then stopped on the node as the API reports them.
 */
@LiveNodeTest
class BulkStopBrowserTest {

    private static final List<String> IPS = List.of("10.231.77.90", "10.231.77.91", "10.231.77.92");

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;

    HeadlessChromium chromium;
    final List<String> jails = new ArrayList<>();
    Api staff;

    @AfterEach
    void cleanUp() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        // All three deletions queued at once, then awaited: the node works on them side by side.
        List<String> deletions = new ArrayList<>();
        for (String jail : jails) {
            deletions.add(staff.act(jail, "delete"));
        }
        for (String deletion : deletions) {
            staff.awaitEnd(deletion, Duration.ofMinutes(2));
        }
    }

    @Test
    void aBulkStopOfThreeJailsEndsWithThreeOkOnTheBatchPage() throws Exception {
        staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("bulk-browser");
        String prefix = "bulk" + UUID.randomUUID().toString().substring(0, 6);
        List<String> creations = new ArrayList<>();
        for (int i = 0; i < IPS.size(); i++) {
            creations.add(staff.createJail(tenant, "64M", prefix + "-" + i + ".example.com", IPS.get(i)));
        }
        for (String creation : creations) {
            jails.add(staff.awaitOk(creation).path("unitId").asText());
        }

        chromium = new HeadlessChromium(port);
        WebDriver browser = chromium.driver();
        WebDriverWait wait = chromium.waiting(Duration.ofSeconds(120));
        chromium.login("admin", "admin-password-for-tests");
        browser.get(chromium.url("/units?q=" + prefix));
        List<WebElement> boxes = browser.findElements(By.cssSelector("input[name=unitIds]"));
        assertThat(boxes).hasSize(3);
        browser.findElement(By.id("select-all")).click();
        assertThat(boxes).allSatisfy(box -> assertThat(box.isSelected()).isTrue());
        browser.findElement(By.cssSelector("#bulk-form button[value=stop]")).click();

        wait.until(ExpectedConditions.urlMatches(".*/batches/[0-9a-f-]{36}$"));
        assertThat(browser.findElements(By.cssSelector("#batch-items tbody tr"))).hasSize(3);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("batch-done")));
        assertThat(browser.findElement(By.id("count-ok")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("count-ko")).getText()).isEqualTo("0");
        assertThat(browser.findElement(By.id("count-skipped")).getText()).isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("#batch-items .state-ok"))).hasSize(3);
        for (String jail : jails) {
            assertThat(staff.json(staff.get("/api/units/" + jail)).path("state").asText()).isEqualTo("STOPPED");
        }
    }
}
