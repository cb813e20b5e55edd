package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.usage.UsageSample;
import org.lodge.provisioning.usage.UsageStore;
import org.lodge.support.AsStaff;
import org.lodge.support.HeadlessChromium;
import org.lodge.support.TestData;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The unit page in Chromium: the customer's browser loads uPlot from the portal itself, fetches
 * the unit's usage and draws the CPU chart with its points; another tenant's customer sees the
 * page of a unit that does not exist.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class UsageChartBrowserTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    UsageStore store;

    @Test
    void theOwnersBrowserDrawsTheCpuChartAndAnotherTenantsGetsNotFound() throws Exception {
        data.node("chart-node", 10L << 30);
        TenantEntity a = data.tenant("chart-a");
        String customerOfA = data.customer(a);
        String customerOfB = data.customer(data.tenant("chart-b"));
        String domain = "c" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        UUID unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(a.getId(), "chart-node", "256M", domain,
                data.freeAddress(), null), "staff")).unitId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<UsageSample> samples = new ArrayList<>();
        for (int i = 12; i >= 1; i--) {
            long n = 12 - i;
            samples.add(new UsageSample(unit, a.getId(), now.minusSeconds(60L * i), n * n * 1_000_000_000L, 40L << 20,
                    8L << 20, n * 4096, n * 8192, n * 1000, n * 3000));
        }
        store.insert(samples);

        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            chromium.login(customerOfA, TestData.PASSWORD);
            chromium.driver().get(chromium.url("/units/" + unit));
            chromium.waiting(Duration.ofSeconds(20))
                    .until(ExpectedConditions.attributeToBe(By.id("usage"), "data-points", "12"));
            assertThat(chromium.driver().findElements(By.cssSelector("#chart-cpu canvas"))).as("uPlot drew the chart")
                    .hasSize(1);
            assertThat(chromium.driver().findElement(By.cssSelector("#chart-cpu .u-legend")).getText())
                    .as("the legend names the series").contains("CPU");
            assertThat(chromium.driver().findElement(By.id("usage-empty")).isDisplayed()).isFalse();
        }
        try (HeadlessChromium chromium = new HeadlessChromium(port)) {
            chromium.login(customerOfB, TestData.PASSWORD);
            chromium.driver().get(chromium.url("/units/" + unit));
            assertThat(chromium.driver().getPageSource()).contains("Unit " + unit + " not found").doesNotContain(domain);
        }
    }
}
