package org.lodge.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The CPU time the portal's request thread spent on each request, from before the first filter
 * to the last byte written (PostgreSQL's own time, in its processes, is not in it). Unlike the
 * wall time it hardly depends on how many other processes share the cores, so it shows the
 * portal's own cost per request on a busy machine. A benchmark imports it with {@code @Import}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ServerCpu implements Filter {

    /** One request: its path with the query string, and the CPU nanoseconds of its thread. */
    record Sample(String path, long cpuNanos) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = THREADS.getCurrentThreadCpuTime();
        try {
            chain.doFilter(request, response);
        } finally {
            HttpServletRequest http = (HttpServletRequest) request;
            String query = http.getQueryString();
            samples.add(new Sample(http.getRequestURI() + (query == null ? "" : "?" + query),
                    THREADS.getCurrentThreadCpuTime() - start));
        }
    }

    void clear() {
        samples.clear();
    }

    List<Long> nanos(Predicate<String> path) {
        return samples.stream().filter(sample -> path.test(sample.path())).map(Sample::cpuNanos).toList();
    }
}
