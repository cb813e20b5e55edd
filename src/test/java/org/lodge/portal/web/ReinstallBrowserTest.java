package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer in Debian's Chromium reinstalls their jail: the unit page's reinstall asks for the
 * domain, a wrong one is refused on the page, the right one runs the job to OK; the job page shows
 * the new FTP password once, the default page is served over HTTP again instead of the customer's
 * own, and a real FTPS login works with the new password and fails with the old one.
 */
@LiveNodeTest
class ReinstallBrowserTest {

    private static final String IP = "10.231.77.88";
    private static final String PASSWORD = "browser-reinstall-pass-1";

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    ServiceProbe probe;

    HeadlessChromium chromium;
    WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        chromium = new HeadlessChromium(port);
        browser = chromium.driver();
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aCustomerReinstallsTheirJailAndSeesTheDefaultPageAgain() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("browser-reinstall");
        String customer = staff.newCustomer(tenant, PASSWORD);
        String domain = "again-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String creation = staff.createJail(tenant, "64M", domain, IP);
        String jailId = staff.awaitOk(creation).path("unitId").asText();
        JsonNode first = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        String ftpUser = first.path("username").asText();
        String oldFtpPassword = first.path("password").asText();
        FtpsClient upload = ftps();
        upload.connect(IP, 21);
        assertThat(upload.loginPrivate(ftpUser, oldFtpPassword)).isTrue();
        assertThat(upload.storeFile("index.html", new ByteArrayInputStream(
                "<h1>my own shop</h1>\n".getBytes(StandardCharsets.UTF_8)))).isTrue();
        upload.logout();
        upload.disconnect();
        assertThat(probe.get(IP, domain, "/").body()).contains("my own shop");

        WebDriverWait wait = chromium.waiting(Duration.ofSeconds(90));
        chromium.login(customer, PASSWORD);
        browser.get(chromium.url("/units/" + jailId));
        browser.findElement(By.id("reinstall-link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reinstall-form")));
        browser.findElement(By.name("confirm")).sendKeys("www." + domain);
        browser.findElement(By.cssSelector("#reinstall-form button")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("ul.errors li"))).getText())
                .contains("Type the domain " + domain + " exactly");
        browser.findElement(By.name("confirm")).sendKeys(domain);
        browser.findElement(By.cssSelector("#reinstall-form button")).click();
        wait.until(ExpectedConditions.urlMatches(".*/jobs/[0-9a-f-]{36}$"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("exit-status"), "OK"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("credentials")));
        assertThat(browser.findElement(By.id("reinstall-note")).isDisplayed()).isTrue();
        String newFtpPassword = browser.findElement(By.id("ftp-password")).getText();
        assertThat(newFtpPassword).hasSize(20).isNotEqualTo(oldFtpPassword);
        assertThat(browser.findElement(By.id("ftp-user")).getText()).isEqualTo(ftpUser);

        assertThat(probe.get(IP, domain, "/").body()).as("the default page again").contains(domain)
                .doesNotContain("my own shop");
        assertThat(ftpLogin(ftpUser, newFtpPassword)).isTrue();
        assertThat(ftpLogin(ftpUser, oldFtpPassword)).isFalse();
        staff.awaitOk(staff.act(jailId, "delete"));
    }

    private FtpsClient ftps() {
        return FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(20));
    }

    private boolean ftpLogin(String user, String password) throws Exception {
        FtpsClient ftp = ftps();
        try {
            ftp.connect(IP, 21);
            return ftp.loginPrivate(user, password);
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }
}
