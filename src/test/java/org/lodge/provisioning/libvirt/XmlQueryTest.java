package org.lodge.provisioning.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class XmlQueryTest {

    private static final String DOMAIN = """
            <domain type='lxc'>
              <name>lodge-a</name>
              <mac address='00:00:00:00:00:01'/>
              <devices>
                <filesystem type='file'><source file='/x'/></filesystem>
                <interface type='network'><source network='lodge'/></interface>
                <interface type='network'><mac address='52:54:00:aa:bb:cc'/></interface>
                <interface type='network'><mac address='52:54:00:dd:ee:ff'/></interface>
              </devices>
            </domain>""";

    @Test
    void attributeAnswersAsTheXPathDoes() {
        XmlQuery xml = XmlQuery.of(DOMAIN);
        assertThat(xml.attribute("address", "devices", "interface", "mac"))
                .isEqualTo(xml.text("/domain/devices/interface/mac/@address"))
                .isEqualTo("52:54:00:aa:bb:cc");
        assertThat(xml.attribute("file", "devices", "filesystem", "source")).isEqualTo("/x");
        assertThat(xml.attribute("address", "devices", "hostdev")).isEmpty();
        assertThat(xml.text("/domain/devices/hostdev/@address")).isEmpty();
    }

    @Test
    void theSharedParserStillRefusesDoctypes() {
        assertThatThrownBy(() -> XmlQuery.of("<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><d>&e;</d>"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSharedFactoriesServeThreadsAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<String>> reads = IntStream.range(0, 200).<Callable<String>>mapToObj(i -> () ->
                    XmlQuery.of(DOMAIN.replace("aa:bb:cc", String.format("00:00:%02x", i % 256)))
                            .text("/domain/devices/interface/mac/@address")).toList();
            List<Future<String>> answers = threads.invokeAll(reads);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(String.format("52:54:00:00:00:%02x", i % 256));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
