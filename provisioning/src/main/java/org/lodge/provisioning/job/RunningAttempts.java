package org.lodge.provisioning.job;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The attempts this worker runs, each with the step it is in. An attempt whose job was revived
 * and taken up again (its heartbeat came too late) is lost: its running step is interrupted at
 * once rather than left to run beside the newer attempt's first steps.
 */
final class RunningAttempts {

    /** How long a cancelled step gets to notice its interrupt and end before the attempt goes on. */
    static final Duration GRACE = Duration.ofSeconds(10);

    /** A step's work, or its compensation. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** One attempt's job and number, as the heartbeat finds them in the job table. */
    record Held(UUID jobId, int attempt) {
    }

    private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService stepThreads;

    RunningAttempts(ExecutorService stepThreads) {
        this.stepThreads = stepThreads;
    }

    Attempt begin(UUID jobId, int attempt) {
        Attempt started = new Attempt(new Held(jobId, attempt));
        running.add(started);
        return started;
    }

    void end(Attempt attempt) {
        running.remove(attempt);
    }

    /** The attempts running now: a heartbeat judges only those that were claimed before it read the table. */
    List<Attempt> snapshot() {
        return List.copyOf(running);
    }

    /** Every attempt of {@code before} the heartbeat did not find in the table has lost its job. */
    void loseAllBut(List<Attempt> before, Set<Held> found) {
        before.stream().filter(attempt -> !found.contains(attempt.held)).forEach(Attempt::lose);
    }

    final class Attempt {

        private final Held held;
        private volatile boolean lost;
        private Future<?> step;

        private Attempt(Held held) {
            this.held = held;
        }

        boolean lost() {
            return lost;
        }

        private synchronized void lose() {
            lost = true;
            if (step != null) {
                step.cancel(true);
            }
        }

        /**
         * Runs {@code work} on a step thread and waits for it, at most {@code timeout}. A timeout or
         * the loss of the job interrupts it, and waits a short grace for it to end, so that neither
         * the compensation nor the newer attempt runs beside a step still going.
         */
        void call(Work work, Duration timeout, String what) throws Exception {
            AtomicBoolean taken = new AtomicBoolean();
            CountDownLatch ended = new CountDownLatch(1);
            Future<?> future;
            synchronized (this) {
                if (lost) {
                    throw new AttemptLostException(what, true);
                }
                future = stepThreads.submit(() -> {
                    if (!taken.compareAndSet(false, true)) {
                        return null; // cancelled before it began
                    }
                    try {
                        work.run();
                        return null;
                    } finally {
                        ended.countDown();
                    }
                });
                step = future;
            }
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new JobRunner.StepTimeoutException(what + " timed out after " + timeout.toSeconds() + " s"
                        + (endedAfterInterrupt(taken, ended) ? "" : stillRuns()));
            } catch (CancellationException e) {
                throw new AttemptLostException(what, endedAfterInterrupt(taken, ended));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            } finally {
                synchronized (this) {
                    step = null;
                }
            }
        }
    }

    /** True when the interrupted work ended within the grace, or never began. */
    private static boolean endedAfterInterrupt(AtomicBoolean taken, CountDownLatch ended) throws InterruptedException {
        return taken.compareAndSet(false, true) || ended.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String stillRuns() {
        return ", and still ran " + GRACE.toSeconds() + " s after its interrupt";
    }

    /** The attempt's job was taken up again by a newer attempt while this one ran {@code what}. */
    static final class AttemptLostException extends Exception {
        AttemptLostException(String what, boolean ended) {
            super("the job was taken up again during " + what + (ended ? "" : stillRuns()));
        }
    }
}
