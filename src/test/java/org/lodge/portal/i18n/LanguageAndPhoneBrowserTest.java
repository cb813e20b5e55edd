package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.TestData;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * In Debian's Chromium: staff switch the portal to Italian with the switch in the navigation and
 * read Italian pages, an Italian refusal of the new-unit form and a job's state as its page's script
 * follows it; then, 390 px wide (a phone), the
 * main pages never scroll sideways (document width within the window's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class LanguageAndPhoneBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void switchesToItalianAndSeesItalianPagesAndMessages() throws Exception {
        String node = "lang-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        String tenant = data.tenant("lang").getName();
        String staff = data.staff();
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            chromium.login(staff, TestData.PASSWORD);
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Jails and VMs");
            browser.findElement(By.cssSelector("header form.language button[value=it]")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Jail e VM"));
            assertThat(browser.findElement(By.tagName("header")).getText()).contains("Operazioni").contains("Esci");

            browser.get(chromium.url("/units/new"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Nuova jail o VM");
            new Select(browser.findElement(By.name("tenantId"))).selectByVisibleText(tenant);
            new Select(browser.findElement(By.name("node"))).selectByVisibleText(node);
            browser.findElement(By.name("diskSize")).sendKeys("64M");
            browser.findElement(By.name("domain")).sendKeys("www example.it");
            browser.findElement(By.name("ipv4")).sendKeys("10.231.99.300");
            browser.findElement(By.cssSelector("#unit-form button[type=submit]")).click();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-domain")));
            assertThat(browser.findElement(By.id("error-domain")).getText()).isEqualTo("il dominio 'www example.it' contiene spazi");
            assertThat(browser.findElement(By.id("error-ipv4")).getText()).contains("non è un indirizzo IPv4");
            Files.write(Path.of("target/italian-form.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertThat(browser.getPageSource()).doesNotContain("??");

            // The job page's script says the state it follows in Italian too.
            JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(data.tenant("lang-job").getId(), node,
                    "64M", "lang-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(),
                    null), "staff"));
            browser.get(chromium.url("/jobs/" + job.id()));
            assertThat(browser.findElement(By.id("job-state")).getText()).isEqualTo("in coda");
            jdbc.sql("update provisioning_job set state = 'RUNNING' where id = :j").param("j", job.id()).update();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.id("job-state"), "in esecuzione"));
            jdbc.sql("update provisioning_job set state = 'KO', finished_at = now() where id = :j").param("j", job.id())
                    .update();
            chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.id("job-state"), "fallita"));
            assertThat(browser.findElement(By.id("exit-status")).getText()).isEqualTo("stato di uscita KO");
        }
    }

    @Test
    void theMainPagesFitA390PixelScreen() throws Exception {
        String node = "phone-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("phone");
        String domain = "a-rather-long-domain-name-for-a-phone-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "64M", domain,
                data.freeAddress(), null), "staff"));
        String staff = data.staff();
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            browser.manage().window().setSize(new Dimension(390, 844));
            JavascriptExecutor js = (JavascriptExecutor) browser;
            browser.get(chromium.url("/login"));
            assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isBetween(300, 400);
            fits(browser, "/login");
            chromium.login(staff, TestData.PASSWORD);
            for (String path : List.of("/units", "/units/" + job.unitId(), "/jobs", "/jobs/" + job.id(), "/account",
                    "/account/2fa", "/nodes", "/tenants", "/tenants/" + tenant.getId(), "/dashboard", "/units/new",
                    "/units/" + job.unitId() + "/reinstall", "/billing/invoices", "/billing/plans", "/billing/customers",
                    "/billing/customers/" + tenant.getId(), "/billing/payments", "/billing/credit-notes",
                    "/billing/dunning", "/backups")) {
                browser.get(chromium.url(path));
                fits(browser, path);
                if (path.startsWith("/units/") && !path.equals("/units/new")) {
                    Files.write(Path.of("target/phone-unit.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                }
            }
        }
        // The customer's own pages differ from the staff's (self-service buttons, their billing).
        String customer = data.customer(tenant);
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            WebDriver browser = chromium.driver();
            browser.manage().window().setSize(new Dimension(390, 844));
            chromium.login(customer, TestData.PASSWORD);
            for (String path : List.of("/units", "/units/" + job.unitId(), "/jobs/" + job.id(), "/account",
                    "/account/2fa", "/units/" + job.unitId() + "/reinstall", "/billing/account")) {
                browser.get(chromium.url(path));
                assertThat(browser.getCurrentUrl()).as(path + " is the customer's own").doesNotContain("/login");
                fits(browser, path);
            }
        }
    }

    private static void fits(WebDriver browser, String path) throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long scroll = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
        long window = ((Number) js.executeScript("return window.innerWidth")).longValue();
        if (scroll > window) {
            Files.write(Path.of("target/phone" + path.replace('/', '_') + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        assertThat(scroll).as(path + " at " + window + " px").isLessThanOrEqualTo(window);
    }
}
