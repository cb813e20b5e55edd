package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * A customer in Debian's Chromium does for themselves what used to need staff: resets their
 * jail's FTP password from the unit page and reads the new one once on the job page (a real FTPS
 * login then works with it and fails with the old one), makes a read-only API token on the
 * account page and uses it (a write is refused), revokes it, and changes their own password.
 */
@LiveNodeTest
class SelfServiceBrowserTest {

    private static final String IP = "10.231.77.172";
    private static final String PASSWORD = "browser-customer-pass-1";

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    UnitCertificates certificates;

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
    void aCustomerResetsTheFtpPasswordMakesATokenAndChangesTheirPassword() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("browser-self");
        String customer = staff.newCustomer(tenant, PASSWORD);
        String creation = staff.createJail(tenant, "64M", "self-" + UUID.randomUUID().toString().substring(0, 6)
                + ".example.com", IP);
        String jailId = staff.awaitOk(creation).path("unitId").asText();
        JsonNode first = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        String ftpUser = first.path("username").asText();
        String oldFtpPassword = first.path("password").asText();

        WebDriverWait wait = chromium.waiting(Duration.ofSeconds(90));
        chromium.login(customer, PASSWORD);
        browser.get(chromium.url("/units/" + jailId));
        assertThat(browser.findElements(By.xpath("//button[normalize-space(.)='start']"))).as("running: no start").isEmpty();
        ((JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
        browser.findElement(By.xpath("//button[normalize-space(.)='reset-ftp-password']")).click();
        wait.until(ExpectedConditions.urlMatches(".*/jobs/[0-9a-f-]{36}$"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("exit-status"), "OK"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("credentials")));
        String newFtpPassword = browser.findElement(By.id("ftp-password")).getText();
        assertThat(newFtpPassword).hasSize(20).isNotEqualTo(oldFtpPassword);
        assertThat(browser.findElement(By.id("ftp-user")).getText()).isEqualTo(ftpUser);
        assertThat(ftpLogin(ftpUser, newFtpPassword)).isTrue();
        assertThat(ftpLogin(ftpUser, oldFtpPassword)).isFalse();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("exit-status"), "OK"));
        Thread.sleep(500);
        assertThat(browser.findElement(By.id("credentials")).isDisplayed()).as("shown once").isFalse();

        browser.get(chromium.url("/account"));
        browser.findElement(By.cssSelector("#token-form input[name='name']")).sendKeys("browser monitor");
        browser.findElement(By.cssSelector("#token-form input[name='readOnly']")).click();
        browser.findElement(By.cssSelector("#token-form button")).click();
        String token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-secret"))).getText();
        assertThat(token).startsWith("lodge_").hasSize(49);
        assertThat(bearer(token, HttpMethod.GET, "/api/units").getBody()).contains(jailId);
        assertThat(bearer(token, HttpMethod.POST, "/api/units/" + jailId + "/actions/stop").getStatusCode().value())
                .isEqualTo(403);
        browser.get(chromium.url("/account"));
        assertThat(browser.findElement(By.id("tokens")).getText()).contains("browser monitor").contains("read-only")
                .contains(" from ").doesNotContain(token);
        browser.findElement(By.cssSelector("#tokens button.danger")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tokens"), "revoked"));
        assertThat(bearer(token, HttpMethod.GET, "/api/units").getStatusCode().value()).isEqualTo(401);

        String newPassword = "browser-customer-pass-2";
        browser.findElement(By.name("currentPassword")).sendKeys(PASSWORD);
        browser.findElement(By.name("newPassword")).sendKeys(newPassword);
        browser.findElement(By.name("confirmPassword")).sendKeys(newPassword);
        browser.findElement(By.cssSelector("#password-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("message"), "password has been changed"));
        browser.manage().deleteAllCookies();
        chromium.login(customer, newPassword);
        assertThat(rest.withBasicAuth(customer, PASSWORD).getForEntity("/api/units", String.class).getStatusCode().value())
                .isEqualTo(401);

        staff.awaitOk(staff.act(jailId, "delete"));
    }

    private ResponseEntity<String> bearer(String token, HttpMethod method, String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(token);
        headers.setAccept(List.of(org.springframework.http.MediaType.APPLICATION_JSON));
        return rest.exchange(path, method, new HttpEntity<>(headers), String.class);
    }

    private boolean ftpLogin(String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(20));
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
