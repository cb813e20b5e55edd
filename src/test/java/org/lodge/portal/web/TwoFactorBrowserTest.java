package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.TestData;
import org.lodge.support.Totp;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A customer in Debian's Chromium turns on two-factor login from the account page (QR code shown,
 * the key read off the page, a first code typed), gets the recovery codes once, logs out, and
 * logs in again: password, then a wrong code (refused), then the right one (in).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class TwoFactorBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;

    @Test
    void enrolsAndLogsInWithACode() throws Exception {
        String user = data.customer(data.tenant("totp-browser"));
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            chromium.login(user, TestData.PASSWORD);
            browser.get(chromium.url("/account"));
            browser.findElement(By.id("two-factor-link")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("qr")));
            assertThat(browser.findElement(By.id("qr")).getAttribute("naturalWidth")).isNotEqualTo("0");
            Files.write(Path.of("target/two-factor-enrol.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            String secret = browser.findElement(By.id("totp-secret")).getText();
            browser.findElement(By.cssSelector("#confirm-form input[name=code]")).sendKeys(Totp.code(secret, 0));
            browser.findElement(By.cssSelector("#confirm-form button")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-codes")));
            assertThat(browser.findElements(By.cssSelector("#recovery-codes code"))).hasSize(10);

            browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/login?logout"));
            browser.findElement(By.name("username")).sendKeys(user);
            browser.findElement(By.name("password")).sendKeys(TestData.PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/login/code"));
            browser.findElement(By.name("code")).sendKeys("000000");
            browser.findElement(By.cssSelector("#code-form button")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("code-error")));
            browser.findElement(By.name("code")).sendKeys(Totp.code(secret, 1));
            browser.findElement(By.cssSelector("#code-form button")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/units"));
            assertThat(browser.findElement(By.className("who")).getText()).isEqualTo(user);
        }
    }
}
