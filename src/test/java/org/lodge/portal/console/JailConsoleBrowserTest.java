package org.lodge.portal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.Api;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A jail's text console in headless Chromium: xterm.js, the portal's WebSocket proxy, the
 * worker's relay of the jail's console pty, and a shell inside the jail that answers.
 */
@LiveNodeTest
class JailConsoleBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    TestData data;

    @Test
    void theOwnerTypesIntoAShellInsideTheJail() throws Exception {
        TenantEntity tenant = data.tenant("jail-console");
        String customer = data.customer(tenant);
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "tty-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String job = staff.createJail(tenant.getName(), "64M", domain, "10.231.77.62");
        String jailId = staff.awaitOk(job).path("unitId").asText();
        try (HeadlessChromium browser = new HeadlessChromium(port)) {
            browser.login(customer, TestData.PASSWORD);
            browser.driver().get(browser.url("/units/" + jailId + "/console"));
            browser.waiting(Duration.ofSeconds(30)).until(ExpectedConditions.attributeToBe(By.id("console-state"),
                    "data-state", "connected"));
            browser.driver().findElement(By.cssSelector("#terminal .xterm-helper-textarea"))
                    .sendKeys("echo lodge-$((6*7)) on $(hostname)" + Keys.ENTER);
            browser.waiting(Duration.ofSeconds(20)).until(driver -> driver.findElement(By.cssSelector("#terminal .xterm-rows"))
                    .getText().contains("lodge-42 on " + domain));
            Files.write(Path.of("target/jail-console.png"),
                    ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
        } finally {
            staff.awaitOk(staff.act(jailId, "delete"));
        }
        assertThat(staff.get("/api/units/" + jailId).getStatusCode().value()).isEqualTo(404);
    }
}
