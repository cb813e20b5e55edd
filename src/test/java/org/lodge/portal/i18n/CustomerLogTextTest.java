package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Customers' job log lines lose host paths, process ids and uid ranges; the rest stays readable. */
class CustomerLogTextTest {

    @Test
    void hidesProcessIdsUidRangesAndHostPaths() {
        assertThat(CustomerLogText.of("started, init pid 48213 on the host, at most 256 tasks"))
                .isEqualTo("started, init pid [hidden], at most 256 tasks");
        assertThat(CustomerLogText.of("defined lodge-www, root mapped to host uids 165536–231071, MAC 52:54:00:aa:bb:cc"))
                .isEqualTo("defined lodge-www, root mapped to host uids [hidden], MAC 52:54:00:aa:bb:cc");
        assertThat(CustomerLogText.of("uid 100000-165535 and PID=77 and process 12"))
                .isEqualTo("uid [hidden] and PID=[hidden] and process [hidden]");
        assertThat(CustomerLogText.of("image /var/lib/lodge/jails/www.img grown to 512 MiB"))
                .isEqualTo("image [path] grown to 512 MiB");
        assertThat(CustomerLogText.of("web answers 200 on http://10.231.0.12/ in 14 ms"))
                .isEqualTo("web answers 200 on http://10.231.0.12/ in 14 ms");
    }
}
