package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.support.Api;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.LiveNodeTest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator in a real browser (Debian's headless Chromium): logs in, creates a tenant, has a
 * bad form refused, then provisions a jail and watches its log reach OK with the FTP password
 * shown once.
 */
@LiveNodeTest
class OperatorBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    NodeProperties node;

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

    private String url(String path) {
        return chromium.url(path);
    }

    @Test
    void operatorProvisionsAJailAndSeesTheCredentialsOnce() throws Exception {
        WebDriverWait wait = chromium.waiting(Duration.ofSeconds(60));
        chromium.login("admin", "admin-password-for-tests");

        String tenant = "Browser Co " + UUID.randomUUID().toString().substring(0, 4);
        browser.get(url("/tenants"));
        browser.findElement(By.name("name")).sendKeys(tenant);
        browser.findElement(By.cssSelector("form.inline-form button")).click();
        wait.until(ExpectedConditions.titleContains(tenant));

        browser.get(url("/units/new"));
        new Select(browser.findElement(By.name("tenantId"))).selectByVisibleText(tenant);
        // Other tests register more nodes in this shared context: the jail goes to the live one.
        new Select(browser.findElement(By.name("node"))).selectByValue(node.name());
        fill("diskSize", "64M");
        fill("domain", "bad;domain.example.com");
        fill("ipv4", "10.231.77.1");
        browser.findElement(By.cssSelector("#unit-form button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-domain")));
        assertThat(browser.findElement(By.id("error-domain")).getText()).contains("not a valid domain name");
        assertThat(browser.findElement(By.id("error-ipv4")).getText()).contains("gateway");

        // The VM fields appear with the VM kind.
        assertThat(browser.findElement(By.name("vcpus")).isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("input[name='kind'][value='VM']")).click();
        assertThat(browser.findElement(By.name("vcpus")).isDisplayed()).isTrue();
        // The browser already holds vCPUs to the node's bound (the server checks it again, see the API tests).
        fill("vcpus", "99");
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript("return arguments[0].validity.rangeOverflow",
                browser.findElement(By.name("vcpus")))).isTrue();
        fill("vcpus", "1");
        browser.findElement(By.cssSelector("input[name='kind'][value='JAIL']")).click();
        assertThat(browser.findElement(By.name("vcpus")).isDisplayed()).isFalse();
        // The template list offers the node's enabled templates of the chosen kind only.
        String offered = "return Array.from(document.querySelectorAll('#template option'))"
                + ".filter(o => !o.disabled && o.value).map(o => o.value).join(' ')";
        assertThat((String) ((JavascriptExecutor) browser).executeScript(offered)).contains("busybox").contains("web-php")
                .doesNotContain("lodge-test");
        browser.findElement(By.cssSelector("input[name='kind'][value='VM']")).click();
        assertThat((String) ((JavascriptExecutor) browser).executeScript(offered)).doesNotContain("busybox")
                .doesNotContain("web-php");
        browser.findElement(By.cssSelector("input[name='kind'][value='JAIL']")).click();

        String domain = "web-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        fill("domain", domain);
        fill("ipv4", "10.231.77.24");
        browser.findElement(By.cssSelector("#unit-form button")).click();
        wait.until(ExpectedConditions.urlMatches(".*/jobs/[0-9a-f-]{36}$"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("exit-status"), "OK"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("credentials")));
        String password = browser.findElement(By.id("ftp-password")).getText();
        assertThat(password).hasSize(20);
        assertThat(browser.findElement(By.id("ftp-host")).getText()).isEqualTo("10.231.77.24");
        assertThat(browser.findElement(By.id("ftp-security")).getText()).contains("FTPS (explicit TLS, port 21) is required")
                .contains("Require explicit FTP over TLS");
        assertThat(browser.findElement(By.id("log")).getText())
                .containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO \\[test-ftp\\]");
        Files.write(Path.of("target/job-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        String jobPath = browser.getCurrentUrl().substring(url("").length());
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("exit-status"), "OK"));
        Thread.sleep(500);
        assertThat(browser.findElement(By.id("credentials")).isDisplayed()).as("shown once only").isFalse();
        assertThat(browser.getPageSource()).doesNotContain(password);

        browser.get(url("/units"));
        assertThat(browser.findElement(By.id("units")).getText()).contains(domain).contains("running");
        Files.write(Path.of("target/jail-list.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.get(url("/nodes"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("lodgetest0").contains("10.231.77.0/24")
                .contains("CPUs").contains("free)").contains("lodge-test");
        Files.write(Path.of("target/nodes.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        // No KVM here: staff decide whether the node takes VMs under software emulation; the button flips it.
        String emulation = browser.findElement(By.tagName("main")).getText();
        boolean allowed = emulation.contains("allowed: new VMs run under TCG");
        flipTcg(wait);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                allowed ? "not allowed: this node has no hardware virtualisation" : "allowed: new VMs run under TCG"));
        flipTcg(wait);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                allowed ? "Stop allowing TCG" : "Allow TCG"));
        browser.get(url("/jobs?kind=CREATE_JAIL&state=OK"));
        assertThat(browser.findElement(By.id("jobs")).getText()).contains(domain);
        Files.write(Path.of("target/jobs.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String jailId = api.json(api.get("/api" + jobPath)).path("unitId").asText();
        api.awaitOk(api.act(jailId, "delete"));
    }

    /** Clicks the node's TCG button and waits for the page it posts to: reading the old one while it goes fails. */
    private void flipTcg(WebDriverWait wait) {
        WebElement before = browser.findElement(By.tagName("main"));
        browser.findElement(By.xpath("//button[contains(., 'TCG')]")).click();
        wait.until(ExpectedConditions.stalenessOf(before));
    }

    private void fill(String name, String value) {
        var field = browser.findElement(By.name(name));
        field.clear();
        field.sendKeys(value);
    }
}
